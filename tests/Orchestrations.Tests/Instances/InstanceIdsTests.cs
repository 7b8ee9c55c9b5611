using EccoStudio.Orchestrations.Instances;
using EccoStudio.Storage.Layout;

namespace EccoStudio.Orchestrations.Tests.Instances;

/// <summary>Instance ids: readable heads for ops filters, retried or replayed starts mapped to the same id.</summary>
public sealed class InstanceIdsTests
{
    private static readonly EntityTarget Venture = EntityTarget.Of("dev", "venture", "V-1");

    [Fact]
    public void Write_SameIdempotencyKey_GivesTheSameId()
    {
        Assert.Equal(InstanceIds.Write(Venture, "order-42"), InstanceIds.Write(EntityTarget.Of("dev", "venture", "V-1"), "order-42"));
    }

    [Fact]
    public void Write_KeyedId_StartsWithTheEntityHeadAndCarriesNoKeyText()
    {
        var id = InstanceIds.Write(Venture, "order-42");

        Assert.StartsWith("write:dev:ventures:V-1:k", id, StringComparison.Ordinal);
        Assert.Equal(InstanceIds.WriteHead(Venture).Length + 33, id.Length);
        Assert.DoesNotContain("order-42", id, StringComparison.Ordinal);
    }

    [Fact]
    public void Erase_SameKey_SameIdUnderTheEraseHeadAndDistinctFromWritesAndDeletes()
    {
        var id = InstanceIds.Erase(Venture, "gdpr-42");

        Assert.Equal(id, InstanceIds.Erase(EntityTarget.Of("dev", "venture", "V-1"), "gdpr-42"));
        Assert.StartsWith("erase:dev:ventures:V-1:k", id, StringComparison.Ordinal);
        Assert.DoesNotContain("gdpr-42", id, StringComparison.Ordinal);
        Assert.NotEqual(InstanceIds.Erase(Venture, null), InstanceIds.Erase(Venture, null));
        Assert.DoesNotContain(id[^32..], InstanceIds.Write(Venture, "gdpr-42") + InstanceIds.Delete(Venture, "gdpr-42"), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_SameKeyOnAnotherEntityOrEnv_GivesDifferentIds()
    {
        var ids = new[]
        {
            InstanceIds.Write(Venture, "k"),
            InstanceIds.Write(EntityTarget.Of("dev", "venture", "V-2"), "k"),
            InstanceIds.Write(EntityTarget.Of("prod", "venture", "V-1"), "k"),
            InstanceIds.Write(EntityTarget.Of("dev", "idea", "V-1"), "k"),
            InstanceIds.Write(Venture, "k2"),
        };

        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void Write_NoKey_GivesAFreshIdEachTime()
    {
        var first = InstanceIds.Write(Venture, null);
        var second = InstanceIds.Write(Venture, null);

        Assert.NotEqual(first, second);
        Assert.StartsWith(InstanceIds.WriteHead(Venture), first, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("3f2b9c1e-0d4a-4c8e-9a55-1b2c3d4e5f60", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("has space", false)]
    [InlineData("tab\t", false)]
    [InlineData("é", false)]
    public void IsValidIdempotencyKey_VisibleAscii_Accepted(string? key, bool valid)
    {
        Assert.Equal(valid, InstanceIds.IsValidIdempotencyKey(key));
    }

    [Fact]
    public void IsValidIdempotencyKey_LengthLimit_Is200()
    {
        Assert.True(InstanceIds.IsValidIdempotencyKey(new string('k', 200)));
        Assert.False(InstanceIds.IsValidIdempotencyKey(new string('k', 201)));
    }

    [Fact]
    public void ReconcileForChange_SameObjectAndGeneration_SameIdOtherwiseDifferent()
    {
        var id = InstanceIds.ReconcileForChange(Venture, "env/dev/history/ventures/V-1/a.json", 7);

        Assert.Equal(id, InstanceIds.ReconcileForChange(Venture, "env/dev/history/ventures/V-1/a.json", 7));
        Assert.NotEqual(id, InstanceIds.ReconcileForChange(Venture, "env/dev/history/ventures/V-1/a.json", 8));
        Assert.NotEqual(id, InstanceIds.ReconcileForChange(Venture, "env/dev/history/ventures/V-1/b.json", 7));
        Assert.StartsWith("reconcile:dev:venture:V-1:gcs-", id, StringComparison.Ordinal);
    }

    [Fact]
    public void HourlyCompaction_TwoTimesInOneHour_SameIdNextHourAnother()
    {
        var first = InstanceIds.HourlyCompaction("dev", "venture", new DateTimeOffset(2026, 12, 2, 9, 7, 0, TimeSpan.Zero));

        Assert.Equal("compact:dev:venture:2026120209", first);
        Assert.Equal(first, InstanceIds.HourlyCompaction("dev", "venture", new DateTimeOffset(2026, 12, 2, 9, 59, 59, TimeSpan.Zero)));
        Assert.NotEqual(first, InstanceIds.HourlyCompaction("dev", "venture", new DateTimeOffset(2026, 12, 2, 10, 7, 0, TimeSpan.Zero)));
        Assert.StartsWith(InstanceIds.Compaction("dev", "venture") + ":", first, StringComparison.Ordinal);
    }
}
