using EccoStudio.Storage.Erasure;

namespace EccoStudio.Storage.Tests.Erasure;

/// <summary>How step reports add up, and what the record says when an attempt removed versions and then failed.</summary>
public sealed class ErasureReportTests
{
    private static ErasureReport Report(int shards, params (string Category, int Count, string Name)[] parts) =>
        new(parts.GroupBy(p => p.Category).ToDictionary(g => g.Key, g => g.Sum(p => p.Count)), [.. parts.Select(p => p.Name)], shards);

    [Fact]
    public void Merge_TwoSteps_CountsAddedNamesUnitedInOrder()
    {
        var merged = Report(0, ("snapshot", 2, "s")).Merge(Report(1, ("history", 3, "h"), ("snapshot", 1, "s")));

        Assert.Equal(3, merged.VersionsRemoved["snapshot"]);
        Assert.Equal(3, merged.VersionsRemoved["history"]);
        Assert.Equal(["h", "s"], merged.Objects);
        Assert.Equal(1, merged.ShardsRewritten);
        Assert.Equal(6, merged.TotalVersions);
    }

    [Fact]
    public void Recorded_RetryFoundLessThanTheInventory_InventoryCountsKeptAndLaterVersionsAdded()
    {
        var inventory = Report(1, ("history", 3, "h1"), ("pointer", 2, "p"), ("manifest_shard", 1, "m"));
        var removed = Report(0, ("history", 1, "h1"), ("snapshot", 1, "s")); // history: a crashed attempt removed 2; snapshot: written after the inventory

        var recorded = ErasureReport.Recorded(inventory, removed);

        Assert.Equal(3, recorded.VersionsRemoved["history"]);
        Assert.Equal(2, recorded.VersionsRemoved["pointer"]);
        Assert.Equal(1, recorded.VersionsRemoved["snapshot"]);
        Assert.Equal(["h1", "m", "p", "s"], recorded.Objects);
        Assert.Equal(1, recorded.ShardsRewritten);
    }
}
