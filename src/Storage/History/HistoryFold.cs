using System.Text.Json.Nodes;
using EccoStudio.Storage.Json;

namespace EccoStudio.Storage.History;

/// <summary>The snapshot is the ordered fold of history (§5, §10).</summary>
public static class HistoryFold
{
    /// <summary>
    /// Folds <paramref name="records"/> ordered by (updated_at, ULID). Compensation records and the records they
    /// compensate are skipped; a tombstone empties the state (the result is null with the tombstone as last applied). With <paramref name="asOf"/>, only records with updated_at ≤ asOf count.
    /// </summary>
    public static FoldResult Fold(IEnumerable<HistoryRecord> records, DateTimeOffset? asOf = null)
    {
        var all = records.ToList();
        var compensated = all.Where(r => r.Change == ChangeKind.Compensation && r.Compensates is not null)
            .Select(r => r.Compensates!.Value)
            .ToHashSet();

        JsonObject? state = null;
        HistoryKey? last = null;
        var applied = 0;
        foreach (var record in all.Where(r => r.Change != ChangeKind.Compensation).OrderBy(r => r.Key))
        {
            if (compensated.Contains(record.Key.Ulid) || (asOf is not null && record.Key.UpdatedAt > asOf.Value))
            {
                continue;
            }

            state = record.Change == ChangeKind.Delete ? null : Step(state, record);
            last = record.Key;
            applied++;
        }

        return new FoldResult(state, last, applied);
    }

    /// <summary>One fold step: a full record replaces the state; a merge patch is applied to it.</summary>
    public static JsonObject Step(JsonObject? state, HistoryRecord record) => record.Change switch
    {
        ChangeKind.Full => record.Content(),
        ChangeKind.MergePatch => (JsonObject)JsonMergePatch.Apply(state, record.Content())!,
        _ => state ?? [],
    };
}

/// <summary>The folded document (null when nothing applies) and the key of the last record folded in.</summary>
public sealed record FoldResult(JsonObject? Document, HistoryKey? LastApplied, int AppliedCount);
