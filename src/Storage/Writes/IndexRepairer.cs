using System.Text.Json.Nodes;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Writes;

/// <summary>
/// Ops repair of one entity's index pointers against its current snapshot: every pointer the snapshot should have is
/// written when missing or different (latest-mode pointers only when not held by a later entity), and every pointer
/// naming this id that the snapshot no longer has is deleted (preconditioned). Lists the entity kind's index folders,
/// so it costs more than <see cref="IndexWriter"/>; used by reconcile, not by ordinary writes. Writes nothing when
/// the pointers are already right.
/// </summary>
public sealed class IndexRepairer(StorageContext context)
{
    public async Task<int> RepairAsync(EntityTarget target, CancellationToken cancellationToken = default)
    {
        // A writer may move the snapshot while the repair writes pointers of the state it read: re-check the
        // generation afterwards and repair again against the newer snapshot (bounded).
        var total = 0;
        for (var round = 0; round < 8; round++)
        {
            var (writes, generation) = await RepairOnceAsync(target, cancellationToken);
            total += writes;
            var info = await context.Store.GetInfoAsync(context.Bucket(target.Env), ObjectPaths.Snapshot(target), cancellationToken);
            if ((info?.Generation ?? 0) == generation)
            {
                break;
            }
        }

        return total;
    }

    private async Task<(int Writes, long Generation)> RepairOnceAsync(EntityTarget target, CancellationToken cancellationToken)
    {
        var bucket = context.Bucket(target.Env);
        var current = await new EntityReader(context).GetSnapshotAsync(target, cancellationToken);
        var planner = new IndexPlanner(context.Indices);
        var wanted = current is null ? [] : planner.AllPointers(target, current.Document);
        var keep = wanted.Select(p => p.ObjectName).ToHashSet(StringComparer.Ordinal);
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

        // Adds are compared with what is stored (no write when equal); removes only delete pointers naming this id.
        var writer = new IndexWriter(context);
        return (await writer.ApplyPlanAsync(target, new IndexPlan(wanted, stale), cancellationToken), current?.Generation ?? 0);
    }

    private async Task<bool> PointsAtAsync(string bucket, string name, string id, CancellationToken cancellationToken)
    {
        var stored = await context.Store.GetAsync(bucket, name, null, cancellationToken);
        return stored is not null && EnvelopeReader.TryGetString(JsonText.ParseObject(stored.Content.Span), "id") == id;
    }
}
