namespace EccoStudio.GcsEmulator.Faults;

/// <summary>Thread-safe counts of the faults injected since start (or the last reset).</summary>
public sealed class FaultStats
{
    private readonly long[] _counts = new long[Enum.GetValues<FaultKind>().Length];

    public void Record(FaultKind kind) => Interlocked.Increment(ref _counts[(int)kind]);

    public long Count(FaultKind kind) => Interlocked.Read(ref _counts[(int)kind]);

    public void Reset()
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            Interlocked.Exchange(ref _counts[i], 0);
        }
    }

    public FaultStatsSnapshot Snapshot() => new(
        Count(FaultKind.ServiceUnavailable),
        Count(FaultKind.TooManyRequests),
        Count(FaultKind.DroppedConnection),
        Count(FaultKind.Latency),
        Count(FaultKind.MutationLimit));
}

/// <summary>The counts as served by <c>GET /_emulator/faults/stats</c>.</summary>
public sealed record FaultStatsSnapshot(
    long ServiceUnavailable,
    long TooManyRequests,
    long DroppedConnection,
    long Latency,
    long MutationLimit)
{
    /// <summary>Faults that changed the outcome of a request (latency excluded).</summary>
    public long Total => ServiceUnavailable + TooManyRequests + DroppedConnection + MutationLimit;
}
