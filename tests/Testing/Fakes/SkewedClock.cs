namespace EccoStudio.Testing.Fakes;

/// <summary>The system clock shifted by <paramref name="offset"/>: a worker whose clock runs behind (negative) or ahead of the servers'.</summary>
public sealed class SkewedClock(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
}
