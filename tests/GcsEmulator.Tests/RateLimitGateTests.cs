using EccoStudio.GcsEmulator.Faults;

namespace EccoStudio.GcsEmulator.Tests;

public class RateLimitGateTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void TryAcquire_SecondMutationWithinOneSecond_IsRefused()
    {
        var clock = new RateLimitFakeClock(Start);
        var gate = new PerObjectMutationGate(() => true, clock);

        Assert.True(gate.TryAcquire("b", "o"));
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(gate.TryAcquire("b", "o"));
    }

    [Fact]
    public void TryAcquire_AfterOneSecond_IsAllowedAgain()
    {
        var clock = new RateLimitFakeClock(Start);
        var gate = new PerObjectMutationGate(() => true, clock);

        Assert.True(gate.TryAcquire("b", "o"));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(gate.TryAcquire("b", "o"));
    }

    [Fact]
    public void TryAcquire_RefusedAttempt_DoesNotExtendTheWindow()
    {
        var clock = new RateLimitFakeClock(Start);
        var gate = new PerObjectMutationGate(() => true, clock);

        Assert.True(gate.TryAcquire("b", "o"));
        clock.Advance(TimeSpan.FromMilliseconds(600));
        Assert.False(gate.TryAcquire("b", "o"));
        clock.Advance(TimeSpan.FromMilliseconds(400));
        Assert.True(gate.TryAcquire("b", "o"));
    }

    [Fact]
    public void TryAcquire_DistinctNamesOrBuckets_AreIndependent()
    {
        var clock = new RateLimitFakeClock(Start);
        var gate = new PerObjectMutationGate(() => true, clock);

        Assert.True(gate.TryAcquire("b", "o1"));
        Assert.True(gate.TryAcquire("b", "o2"));
        Assert.True(gate.TryAcquire("b2", "o1"));
        Assert.False(gate.TryAcquire("b", "o1"));
    }

    [Fact]
    public void TryAcquire_Disabled_AllowsEverythingAndRemembersNothing()
    {
        var clock = new RateLimitFakeClock(Start);
        var enabled = false;
        var gate = new PerObjectMutationGate(() => enabled, clock);

        Assert.True(gate.TryAcquire("b", "o"));
        Assert.True(gate.TryAcquire("b", "o"));
        Assert.Equal(0, gate.TrackedCount);

        enabled = true;
        Assert.True(gate.TryAcquire("b", "o"));
        Assert.False(gate.TryAcquire("b", "o"));
    }

    [Fact]
    public void TryAcquire_ManyNamesOverTime_EvictsExpiredEntries()
    {
        var clock = new RateLimitFakeClock(Start);
        var gate = new PerObjectMutationGate(() => true, clock);

        for (var second = 0; second < 5; second++)
        {
            for (var i = 0; i < 1000; i++)
            {
                Assert.True(gate.TryAcquire("b", $"s{second}-o{i}"));
            }

            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(gate.TryAcquire("b", "last"));
        Assert.True(gate.TrackedCount <= 1001, $"tracked {gate.TrackedCount}");
    }

    [Fact]
    public void TryAcquire_Refusal_IsCountedInStats()
    {
        var clock = new RateLimitFakeClock(Start);
        var stats = new FaultStats();
        var gate = new PerObjectMutationGate(() => true, clock, stats);

        gate.TryAcquire("b", "o");
        gate.TryAcquire("b", "o");
        gate.TryAcquire("b", "o");

        Assert.Equal(2, stats.Count(FaultKind.MutationLimit));
    }

    [Fact]
    public async Task TryAcquire_ParallelCallersOnOneName_ExactlyOneWins()
    {
        var clock = new RateLimitFakeClock(Start);
        var gate = new PerObjectMutationGate(() => true, clock);

        var results = await Task.WhenAll(Enumerable.Range(0, 32)
            .Select(_ => Task.Run(() => gate.TryAcquire("b", "hot"))));

        Assert.Equal(1, results.Count(granted => granted));
    }

    [Fact]
    public void Injector_Gate_FollowsThePerObjectMutationLimitSetting()
    {
        var clock = new RateLimitFakeClock(Start);
        var injector = new FaultInjector(new FaultSettings(), clock);

        Assert.True(injector.Gate.TryAcquire("b", "o"));
        Assert.True(injector.Gate.TryAcquire("b", "o"));

        injector.Update(new FaultSettings { PerObjectMutationLimit = true });
        Assert.True(injector.Gate.TryAcquire("b", "o"));
        Assert.False(injector.Gate.TryAcquire("b", "o"));
        Assert.Equal(1, injector.Stats.Count(FaultKind.MutationLimit));
    }
}
