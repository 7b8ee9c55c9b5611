namespace EccoStudio.Testing.Simulation;

/// <summary>Per-call fault probabilities of a simulation (each call draws one outcome).</summary>
public sealed record SimFaults
{
    /// <summary>No faults: every call takes effect and answers.</summary>
    public static SimFaults None { get; } = new() { FailBefore = 0, LoseResponse = 0, Crash = 0 };

    /// <summary>The call fails with a transient error before it takes effect (a 503, a refused connection).</summary>
    public double FailBefore { get; init; } = 0.04;

    /// <summary>Share of <see cref="FailBefore"/> faults on calls the store retries itself that its retry absorbs.</summary>
    public double StoreRetryAbsorbs { get; init; } = 0.75;

    /// <summary>
    /// The call takes effect but its answer is lost: the caller sees a transient error, or (for a call the store
    /// retries itself: reads, lists and preconditioned writes) the store's retry runs it again against the new state.
    /// </summary>
    public double LoseResponse { get; init; } = 0.03;

    /// <summary>The worker dies at this call (before or after its effect): the activity attempt is abandoned and re-run.</summary>
    public double Crash { get; init; } = 0.01;
}
