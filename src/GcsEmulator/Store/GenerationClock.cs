namespace EccoStudio.GcsEmulator.Store;

/// <summary>
/// Hands out generations: microseconds since the Unix epoch, strictly increasing, and strictly above every
/// generation handed out before (also across restarts: the persistence reserves blocks ahead).
/// </summary>
public sealed class GenerationClock(long floor, TimeProvider time, Action<long>? reserve)
{
    private const long ReserveAheadMicros = 60_000_000;
    private readonly Lock _sync = new();
    private long _last = floor;
    private long _reserved = floor;

    public long Next()
    {
        lock (_sync)
        {
            var now = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
            var next = Math.Max(now, _last + 1);
            if (reserve is not null && next >= _reserved)
            {
                _reserved = next + ReserveAheadMicros;
                reserve(_reserved);
            }

            _last = next;
            return next;
        }
    }
}
