using System.Text.Json.Nodes;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Writes;

/// <summary>
/// Step 4 (§5): apply an <see cref="IndexPlan"/>, adds before removes. Adds are create-only (412 → compare, replace on the read
/// generation); removes are preconditioned deletes of the generation read, and only of a pointer to this id.
/// Latest-mode pointers are replaced only by an entity at least as late by the index's <c>latest</c> pointers.
/// After writing, the snapshot generation is re-checked: if another writer moved it meanwhile, the plan is recomputed
/// against the newer snapshot so no stale pointer survives.
/// </summary>
public sealed class IndexWriter(StorageContext context)
{
    public async Task<int> SyncAsync(EntityTarget target, JsonObject? before, JsonObject? after, long afterGeneration, CancellationToken cancellationToken = default)
    {
        var planner = new IndexPlanner(context.Indices);
        var plan = planner.Plan(target, before, after);
        var operations = 0;
        var seen = new List<JsonObject?> { before };
        var fromCurrentSnapshot = false;
        for (var round = 0; round < 16 && !plan.IsEmpty; round++)
        {
            var (count, ambiguous) = await ApplyAsync(target, plan, fromCurrentSnapshot, cancellationToken);
            operations += count;
            var info = await context.Store.GetInfoAsync(context.Bucket(target.Env), ObjectPaths.Snapshot(target), cancellationToken);
            if (info is null || (info.Generation == afterGeneration && !ambiguous))
            {
                break;
            }

            // Either another writer moved the snapshot, or a pointer of the same updated_at held other display fields
            // (a rebuild folded a late change in without moving updated_at): re-plan from the stored snapshot, whose
            // pointers are then the truth.
            fromCurrentSnapshot = true;

            var current = await new EntityReader(context).GetSnapshotAsync(target, cancellationToken);
            if (current is null)
            {
                break;
            }

            seen.Add(after);
            var adds = planner.AllPointers(target, current.Document);
            var keep = adds.Select(p => p.ObjectName).ToHashSet(StringComparer.Ordinal);
            var removes = seen.Where(d => d is not null).SelectMany(d => planner.AllPointers(target, d!)).Where(p => !keep.Contains(p.ObjectName))
                .DistinctBy(p => p.ObjectName).ToList();
            plan = new IndexPlan(adds, removes);
            after = current.Document;
            afterGeneration = current.Generation;
        }

        return operations;
    }

    /// <summary>Applies a plan once (no snapshot re-check): adds compared with what is stored, removes preconditioned.</summary>
    public async Task<int> ApplyPlanAsync(EntityTarget target, IndexPlan plan, CancellationToken cancellationToken = default) =>
        (await ApplyAsync(target, plan, fromCurrentSnapshot: true, cancellationToken)).Count;

    /// <param name="fromCurrentSnapshot">The plan's adds come from the stored snapshot: they replace what differs.
    /// Otherwise (a writer's own after-state) a pointer with a newer updated_at is kept, and one with the same
    /// updated_at but other content is left and reported as ambiguous.</param>
    private async Task<(int Count, bool Ambiguous)> ApplyAsync(EntityTarget target, IndexPlan plan, bool fromCurrentSnapshot, CancellationToken cancellationToken)
    {
        var bucket = context.Bucket(target.Env);
        var count = 0;
        var ambiguous = false;
        // Adds first, removes after: a failure part-way leaves the old pointers in place (nothing for a compensation
        // to re-create), and readers never miss the entity while its keys move.
        foreach (var pointer in plan.Add)
        {
            var bytes = JsonText.ToBytes(pointer.Body);
            for (var attempt = 0; attempt < 16; attempt++)
            {
                var existing = await context.Store.GetAsync(bucket, pointer.ObjectName, null, cancellationToken);
                if (existing is not null)
                {
                    var old = JsonText.ParseObject(existing.Content.Span);
                    if (existing.Content.Span.SequenceEqual(bytes) || SameExceptUpdatedAt(old, pointer.Body)
                        || (pointer.Index.Mode == IndexMode.Latest && IsLater(pointer.Index, old, pointer.Body)))
                    {
                        break;
                    }

                    if (!fromCurrentSnapshot && pointer.Index.Mode != IndexMode.Latest
                        && EnvelopeReader.TryGetUpdatedAt(old, out var oldAt) && EnvelopeReader.TryGetUpdatedAt(pointer.Body, out var newAt) && oldAt >= newAt)
                    {
                        ambiguous |= oldAt == newAt;
                        break;
                    }
                }

                try
                {
                    await context.Store.PutAsync(bucket, pointer.ObjectName, bytes, PutOptions.Expecting(existing?.Generation), cancellationToken);
                    count++;
                    break;
                }
                catch (PreconditionFailedException)
                {
                }
            }
        }

        foreach (var pointer in plan.Remove)
        {
            var existing = await context.Store.GetAsync(bucket, pointer.ObjectName, null, cancellationToken);
            if (existing is not null && EnvelopeReader.TryGetString(JsonText.ParseObject(existing.Content.Span), "id") == target.Id)
            {
                try
                {
                    await context.Store.DeleteAsync(bucket, pointer.ObjectName, existing.Generation, cancellationToken);
                    count++;
                }
                catch (PreconditionFailedException)
                {
                    // Replaced meanwhile by another writer: that pointer is theirs now.
                }
            }
        }

        return (count, ambiguous);
    }

    /// <summary>
    /// Same id, ptr and display fields: the pointer is current (its updated_at is when it was last written, see the
    /// planner), so it is not rewritten. This keeps retries and compensations from touching pointers that are right.
    /// </summary>
    private static bool SameExceptUpdatedAt(JsonObject existing, JsonObject candidate)
    {
        var x = JsonText.Clone(existing);
        var y = JsonText.Clone(candidate);
        x.Remove("updated_at");
        y.Remove("updated_at");
        return JsonNode.DeepEquals(x, y);
    }

    /// <summary>True when <paramref name="existing"/> points to a different entity that is strictly later.</summary>
    private static bool IsLater(IndexDefinition index, JsonObject existing, JsonObject candidate)
    {
        if (EnvelopeReader.TryGetString(existing, "id") == EnvelopeReader.TryGetString(candidate, "id"))
        {
            return false;
        }

        foreach (var pointer in index.Latest)
        {
            var field = pointer.TrimStart('/');
            var a = IndexDefinition.Scalar(existing[field]);
            var b = IndexDefinition.Scalar(candidate[field]);
            var cmp = string.CompareOrdinal(a, b);
            if (cmp != 0)
            {
                return cmp > 0;
            }
        }

        return false;
    }
}
