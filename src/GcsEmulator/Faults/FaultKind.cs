namespace EccoStudio.GcsEmulator.Faults;

/// <summary>The kinds of fault the emulator injects (and counts).</summary>
public enum FaultKind
{
    /// <summary>503 backendError.</summary>
    ServiceUnavailable,
    /// <summary>429 rateLimitExceeded drawn by <see cref="FaultSettings.Rate429"/>.</summary>
    TooManyRequests,
    /// <summary>Connection aborted without a response.</summary>
    DroppedConnection,
    /// <summary>Added latency (the request then went on).</summary>
    Latency,
    /// <summary>429 from the per-object mutation limit.</summary>
    MutationLimit,
}
