namespace EccoStudio.Storage.Erasure;

/// <summary>
/// What an erasure removed: object generations by category, and the object names with index keys redacted (a key
/// is data — a skill, a location — so the record names the index and the id only).
/// </summary>
public sealed record ErasureReport(IReadOnlyDictionary<string, int> VersionsRemoved, IReadOnlyList<string> Objects, int ShardsRewritten)
{
    public static ErasureReport Empty { get; } = new(new Dictionary<string, int>(), [], 0);

    public int TotalVersions => VersionsRemoved.Values.Sum();

    /// <summary>Both reports together (counts added, names united).</summary>
    public ErasureReport Merge(ErasureReport other)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (category, count) in VersionsRemoved.Concat(other.VersionsRemoved))
        {
            counts[category] = (counts.TryGetValue(category, out var n) ? n : 0) + count;
        }

        return new ErasureReport(counts, [.. Objects.Union(other.Objects, StringComparer.Ordinal).Order(StringComparer.Ordinal)], ShardsRewritten + other.ShardsRewritten);
    }

    /// <summary>
    /// What to record when <paramref name="inventory"/> was taken before the removals of <paramref name="removed"/>:
    /// per category the larger count (an attempt that failed after removing some versions is not counted by the attempt
    /// that finished, but the inventory saw them; versions written after the inventory are counted by the removal).
    /// </summary>
    public static ErasureReport Recorded(ErasureReport inventory, ErasureReport removed)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var category in inventory.VersionsRemoved.Keys.Union(removed.VersionsRemoved.Keys))
        {
            counts[category] = Math.Max(inventory.VersionsRemoved.GetValueOrDefault(category), removed.VersionsRemoved.GetValueOrDefault(category));
        }

        return new ErasureReport(counts, [.. inventory.Objects.Union(removed.Objects, StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Math.Max(inventory.ShardsRewritten, removed.ShardsRewritten));
    }
}
