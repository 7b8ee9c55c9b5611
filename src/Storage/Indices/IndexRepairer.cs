using System.Text.Json.Nodes;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;

namespace EccoStudio.Storage.Indices;

/// <summary>
/// Ops repair of one entity's index pointers against its current snapshot: every pointer the snapshot should have is
/// written when missing or different (latest-mode pointers only when not held by a later entity), every pointer
/// naming this id that the snapshot no longer has is deleted (preconditioned), and the snapshot's pending list is
/// settled. Lists the entity kind's index folders, so it also finds pointers nothing recorded (hand edits, data
/// written before pending lists existed); it costs more than <see cref="IndexWriter"/> and is used by reconcile, not
/// by ordinary writes. Writes nothing when the pointers are already right.
/// </summary>
public sealed class IndexRepairer(StorageContext context)
{
    public async Task<int> RepairAsync(EntityTarget target, CancellationToken cancellationToken = default)
    {
        // A writer may move the snapshot while the repair writes pointers of the state it read: re-check the
        // generation afterwards and repair again against the newer snapshot (bounded).
        var total = 0;
        var reader = new EntityReader(context);
        var writer = new IndexWriter(context);
        var planner = new IndexPlanner(context.Indices);
        for (var round = 0; round < 8; round++)
        {
            var current = await reader.GetSnapshotAsync(target, cancellationToken);
            var wanted = current is null ? [] : planner.AllPointers(target, current.Document);
            total += await writer.ApplyPlanAsync(target, new IndexPlan(wanted, []), cancellationToken);
            total += await RemoveStrayAsync(target, wanted.Select(p => p.ObjectName).ToHashSet(StringComparer.Ordinal), cancellationToken);
            var after = await reader.GetSnapshotAsync(target, cancellationToken);
            if (after?.Generation != current?.Generation)
            {
                continue;
            }

            if (after is null || after.Pending.IsEmpty)
            {
                break;
            }

            var (writes, settled) = await writer.SettlePendingAsync(target, after, cancellationToken);
            total += writes;
            if (settled)
            {
                break;
            }
        }

        return total;
    }

    /// <summary>Deletes every pointer naming this id that is not in <paramref name="keep"/>, found by listing the kind's index folders.</summary>
    internal async Task<int> RemoveStrayAsync(EntityTarget target, IReadOnlySet<string> keep, CancellationToken cancellationToken)
    {
        var bucket = context.Bucket(target.Env);
        var stale = new List<IndexPointer>();
        foreach (var index in context.Indices.For(target.Kind))
        {
            foreach (var info in await context.Store.ListAllAsync(bucket, ObjectPaths.IndexFolder(target.Env, target.Kind, index.Name), cancellationToken))
            {
                if (keep.Contains(info.Name))
                {
                    continue;
                }

                var ours = index.Mode == IndexMode.Multi
                    ? info.Name.EndsWith("/" + target.Id + ".json", StringComparison.Ordinal)
                    : await PointsAtAsync(bucket, info.Name, target.Id, cancellationToken);
                if (ours)
                {
                    stale.Add(new IndexPointer(index, string.Empty, info.Name, new JsonObject { ["id"] = target.Id }));
                }
            }
        }

        return stale.Count == 0 ? 0 : await new IndexWriter(context).ApplyPlanAsync(target, new IndexPlan([], stale), cancellationToken);
    }

    private async Task<bool> PointsAtAsync(string bucket, string name, string id, CancellationToken cancellationToken)
    {
        var stored = await context.Store.GetAsync(bucket, name, null, cancellationToken);
        return stored is not null && EnvelopeReader.TryGetString(JsonText.ParseObject(stored.Content.Span), "id") == id;
    }
}
