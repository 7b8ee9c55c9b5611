namespace EccoStudio.GcsEmulator.Tests;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class RateLimitFakeClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
