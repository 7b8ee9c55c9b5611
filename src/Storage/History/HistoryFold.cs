using System.Text.Json.Nodes;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Migrations;

namespace EccoStudio.Storage.History;

/// <summary>The snapshot is the ordered fold of history (§5, §10), kept at the latest schema version of its kind (§4, §11).</summary>
public static class HistoryFold
{
    /// <summary>
    /// Folds <paramref name="records"/> ordered by (updated_at, ULID). Compensation records and the records they
    /// compensate are skipped; a tombstone empties the state (the result is null with the tombstone as last applied). With <paramref name="asOf"/>, only records with updated_at ≤ asOf count.
    /// With <paramref name="migrations"/> every step lands at the chain's latest version (<see cref="Step"/>); history
    /// itself is read as stored.
    /// </summary>
    public static FoldResult Fold(IEnumerable<HistoryRecord> records, DateTimeOffset? asOf = null, MigrationChain? migrations = null)
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

            state = record.Change == ChangeKind.Delete ? null : Step(state, record, migrations);
            last = record.Key;
            applied++;
        }

        return new FoldResult(state, last, applied);
    }

    /// <summary>
    /// One fold step: a full record replaces the state; a merge patch is applied to it. With
    /// <paramref name="migrations"/> (docs/schema-evolution.md, "Folding rule"): a full record is migrated from its
    /// schema_version to the latest; a merge patch is migrated from the version it names (from the chain's first
    /// version when it names none) and applied to the state migrated to the latest. So the result is at the latest
    /// version whatever versions the records were written in. A patch with no state before it is the whole document,
    /// and is migrated as one.
    /// </summary>
    public static JsonObject Step(JsonObject? state, HistoryRecord record, MigrationChain? migrations = null) => record.Change switch
    {
        ChangeKind.Full => migrations is null ? record.Content() : migrations.Migrate(record.Content()),
        ChangeKind.MergePatch when migrations is null => (JsonObject)JsonMergePatch.Apply(state, record.Content())!,
        ChangeKind.MergePatch when state is null => migrations!.Migrate((JsonObject)JsonMergePatch.Apply(null, record.Content())!), // nothing to patch: the patch is the document
        ChangeKind.MergePatch => (JsonObject)JsonMergePatch.Apply(migrations!.Migrate(state!), migrations.MigratePatch(record.Content()))!,
        _ => state ?? [],
    };
}

/// <summary>The folded document (null when nothing applies) and the key of the last record folded in.</summary>
public sealed record FoldResult(JsonObject? Document, HistoryKey? LastApplied, int AppliedCount);
