using System.Globalization;
using System.Text;
using EccoStudio.Storage.Layout;

namespace EccoStudio.Storage.Consistency;

/// <summary>What a check found: counts, drift per kind, the first differences and the drifted entities.</summary>
public sealed record ConsistencyReport
{
    public required string Env { get; init; }

    public required IReadOnlyList<string> Entities { get; init; }

    public long EntitiesChecked { get; init; }

    public long HistoryRecordsRead { get; init; }

    public long SnapshotsChecked { get; init; }

    public long ManifestEntriesChecked { get; init; }

    public long PointersChecked { get; init; }

    /// <summary>Number of differences per kind (every one found, not only the reported ones).</summary>
    public required IReadOnlyDictionary<DriftKind, long> DriftCounts { get; init; }

    /// <summary>The first <see cref="ConsistencyCheckOptions.MaxReportedDifferences"/> differences, in the order found.</summary>
    public required IReadOnlyList<Drift> FirstDifferences { get; init; }

    /// <summary>Entities with at least one difference (up to <see cref="ConsistencyCheckOptions.MaxTrackedDriftedEntities"/>).</summary>
    public required IReadOnlyList<EntityTarget> DriftedEntities { get; init; }

    /// <summary>How many entities drifted (all of them, also beyond the tracked list).</summary>
    public long DriftedEntityCount { get; init; }

    public long TotalDifferences => DriftCounts.Values.Sum();

    public bool IsConsistent => TotalDifferences == 0;

    /// <summary>A few lines for a terminal or a log.</summary>
    public string Summary()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"verify env={Env} entities=[{string.Join(',', Entities)}]: {EntitiesChecked} entities, {HistoryRecordsRead} history records, ");
        text.Append(CultureInfo.InvariantCulture,
            $"{SnapshotsChecked} snapshots, {ManifestEntriesChecked} manifest entries, {PointersChecked} pointers checked; ");
        text.Append(CultureInfo.InvariantCulture, $"drift: {TotalDifferences} differences in {DriftedEntityCount} entities");
        foreach (var (kind, count) in DriftCounts.Where(p => p.Value > 0).OrderBy(p => p.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {kind}: {count}");
        }

        foreach (var drift in FirstDifferences)
        {
            text.Append("\n  - ").Append(drift);
        }

        return text.ToString();
    }
}
