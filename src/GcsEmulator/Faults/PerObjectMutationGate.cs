namespace EccoStudio.GcsEmulator.Faults;

/// <summary>
/// GCS's per-object mutation limit: at most one mutation per (bucket, object name) per rolling second.
/// Only granted mutations start a window (a refused attempt does not extend it). Memory stays bounded: entries whose
/// window has passed are swept out at most once per window, so the table holds roughly one second's worth of names.
/// </summary>
/// <param name="isEnabled">Read on every call; while false everything is allowed and nothing is recorded.</param>
/// <param name="timeProvider">The clock (tests inject a fake one).</param>
/// <param name="stats">Where refusals are counted, if anywhere.</param>
public sealed class PerObjectMutationGate(Func<bool> isEnabled, TimeProvider timeProvider, FaultStats? stats = null)
    : IMutationGate
{
    /// <summary>The length of the window in which one object name may be mutated once.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly Dictionary<(string Bucket, string Name), DateTimeOffset> _lastGranted = [];
    private readonly Lock _lock = new();
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    /// <summary>How many (bucket, name) entries are currently remembered.</summary>
    public int TrackedCount
    {
        get
        {
            lock (_lock)
            {
                return _lastGranted.Count;
            }
        }
    }

    public bool TryAcquire(string bucket, string objectName)
    {
        if (!isEnabled())
        {
            return true;
        }

        var now = timeProvider.GetUtcNow();
        var key = (bucket, objectName);
        lock (_lock)
        {
            SweepIfDue(now);
            if (_lastGranted.TryGetValue(key, out var last) && now - last < Window)
            {
                stats?.Record(FaultKind.MutationLimit);
                return false;
            }

            _lastGranted[key] = now;
            return true;
        }
    }

    /// <summary>Forgets every window (e.g. when the limit is switched off and on again).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _lastGranted.Clear();
        }
    }

    private void SweepIfDue(DateTimeOffset now)
    {
        if (now - _lastSweep < Window)
        {
            return;
        }

        _lastSweep = now;
        List<(string, string)>? expired = null;
        foreach (var (key, granted) in _lastGranted)
        {
            if (now - granted >= Window)
            {
                (expired ??= []).Add(key);
            }
        }

        if (expired is not null)
        {
            foreach (var key in expired)
            {
                _lastGranted.Remove(key);
            }
        }
    }
}
