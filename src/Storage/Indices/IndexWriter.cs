using System.Text.Json.Nodes;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Snapshots;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;

namespace EccoStudio.Storage.Indices;

/// <summary>
/// Step 4 (§5): index pointers follow the snapshot. The stored snapshot is the only truth; a write's before/after
/// states are hints that keep the common case cheap. The protocol (docs/reliability.md, "Index pointers"):
/// <list type="number">
/// <item>Apply the plan: the write's own move (before → after), or, when the before-state is not trusted, every
/// pointer of after. Adds are compared with what is stored and replaced when they differ (ignoring updated_at);
/// removes delete only a pointer naming this id, preconditioned on the generation read. Latest-mode pointers are
/// replaced only by an entity at least as late by the index's <c>latest</c> pointers.</item>
/// <item>Re-read the snapshot. If its generation is not the one the plan came from, converge to it: every pointer
/// it should have (compared, replaced when different), every pointer of any state seen so far that it lacks
/// removed; repeat. So whoever writes a pointer of a stale state finds out afterwards and undoes it.</item>
/// <item>When the generation held: delete the snapshot's <see cref="PendingPointers"/> (what earlier states had and
/// this one lacks, recorded by every snapshot move in the same CAS) and clear the list with a metadata patch
/// preconditioned on that generation and metageneration. So a move whose own index step never ran or ran with a
/// wrong before-state leaves nothing behind: the list survives until an index step of a later write, a compensation
/// or a reconcile settles it.</item>
/// </list>
/// </summary>
public sealed class IndexWriter(StorageContext context)
{
    private const int MaxRounds = 16;

    /// <param name="trustPlan">False when <paramref name="before"/> may not be the state the snapshot really left (a
    /// retried snapshot step) or when the snapshot step reported pointers pending: then every pointer of
    /// <paramref name="after"/> is compared with what is stored, and the pending list is settled.</param>
    public async Task<int> SyncAsync(EntityTarget target, JsonObject? before, JsonObject? after, long afterGeneration, bool trustPlan = true,
        CancellationToken cancellationToken = default)
    {
        var planner = new IndexPlanner(context.Indices);
        var seen = new List<JsonObject>();
        if (before is not null)
        {
            seen.Add(before);
        }

        var plan = trustPlan ? planner.Plan(target, before, after) : Converge(planner, target, after, seen);
        if (trustPlan && plan.IsEmpty)
        {
            // Nothing to write (keys and display fields unchanged) and, the caller says, nothing pending: a writer that
            // writes no pointer has nothing to re-check. This keeps a steady write free of index operations.
            return 0;
        }

        if (after is not null)
        {
            seen.Add(after);
        }

        return await ConvergeAsync(target, plan, seen, afterGeneration, cancellationToken);
    }

    /// <summary>
    /// Read repair: a reader found the pointer at <paramref name="pointerName"/> disagreeing with the snapshot of
    /// <paramref name="target"/> (a key the entity no longer has, or other display fields). Converges the entity's
    /// pointers to its stored snapshot, that pointer removed unless the snapshot has it, with the same re-check and
    /// pending settlement as a write. Returns the number of object writes.
    /// </summary>
    public async Task<int> RepairPointerAsync(EntityTarget target, IndexDefinition index, string pointerName, CancellationToken cancellationToken = default)
    {
        var planner = new IndexPlanner(context.Indices);
        var current = await new EntityReader(context).GetSnapshotAsync(target, cancellationToken);
        var plan = Converge(planner, target, current?.Document, []);
        var suspect = new IndexPointer(index, string.Empty, pointerName, new JsonObject { ["id"] = target.Id });
        if (!plan.Add.Any(p => p.ObjectName == pointerName))
        {
            plan = plan with { Remove = [.. plan.Remove, suspect] };
        }

        return await ConvergeAsync(target, plan, current is null ? [] : [current.Document], current?.Generation ?? 0, cancellationToken);
    }

    /// <summary>Applies <paramref name="plan"/>, then re-checks the snapshot until the pointers follow the generation in place and its pending list is settled.</summary>
    private async Task<int> ConvergeAsync(EntityTarget target, IndexPlan plan, List<JsonObject> seen, long generation, CancellationToken cancellationToken)
    {
        var planner = new IndexPlanner(context.Indices);
        var operations = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            operations += await ApplyAsync(target, plan, cancellationToken);
            var current = await new EntityReader(context).GetSnapshotAsync(target, cancellationToken);
            if ((current?.Generation ?? 0) == generation)
            {
                if (current is null || current.Pending.IsEmpty)
                {
                    break;
                }

                var (writes, settled) = await SettlePendingAsync(target, current, cancellationToken);
                operations += writes;
                if (settled)
                {
                    break;
                }

                plan = new IndexPlan([], []);
                continue;
            }

            // Moved since the plan was made (another writer, a rebuild, a compensation): converge to what is stored.
            plan = Converge(planner, target, current?.Document, seen);
            if (current is not null)
            {
                seen.Add(current.Document);
            }

            generation = current?.Generation ?? 0;
        }

        return operations;
    }

    /// <summary>Applies a plan once (no snapshot re-check): adds compared with what is stored, removes preconditioned.</summary>
    public Task<int> ApplyPlanAsync(EntityTarget target, IndexPlan plan, CancellationToken cancellationToken = default) =>
        ApplyAsync(target, plan, cancellationToken);

    /// <summary>
    /// Deletes the pointers <paramref name="current"/> lists as pending that it does not have itself (only those
    /// naming this id), then clears the list, preconditioned on <paramref name="current"/>'s generation and
    /// metageneration. Settled = the list was cleared; false = the snapshot changed meanwhile (read it again).
    /// </summary>
    internal async Task<(int Writes, bool Settled)> SettlePendingAsync(EntityTarget target, SnapshotState current, CancellationToken cancellationToken)
    {
        var bucket = context.Bucket(target.Env);
        var keep = new IndexPlanner(context.Indices).AllPointers(target, current.Document).Select(p => p.ObjectName).ToHashSet(StringComparer.Ordinal);
        var writes = 0;
        if (current.Pending.Unknown)
        {
            // The list outgrew the metadata: find this entity's pointers by listing its kind's index folders.
            writes += await new IndexRepairer(context).RemoveStrayAsync(target, keep, cancellationToken);
        }

        foreach (var name in current.Pending.Names.Where(n => !keep.Contains(n)))
        {
            writes += await RemoveIfOursAsync(bucket, name, target.Id, cancellationToken) ? 1 : 0;
        }

        try
        {
            await context.Store.SetMetadataAsync(bucket, ObjectPaths.Snapshot(target),
                new Dictionary<string, string> { [PendingPointers.MetadataKey] = string.Empty }, current.Metageneration, current.Generation, cancellationToken);
            return (writes, true);
        }
        catch (PreconditionFailedException)
        {
            return (writes, false);
        }
    }

    /// <summary>Every pointer <paramref name="document"/> should have; every pointer of a state in <paramref name="seen"/> it lacks removed.</summary>
    private static IndexPlan Converge(IndexPlanner planner, EntityTarget target, JsonObject? document, IEnumerable<JsonObject> seen)
    {
        var adds = document is null ? [] : planner.AllPointers(target, document);
        var keep = adds.Select(p => p.ObjectName).ToHashSet(StringComparer.Ordinal);
        var removes = seen.SelectMany(d => planner.AllPointers(target, d)).Where(p => !keep.Contains(p.ObjectName)).DistinctBy(p => p.ObjectName).ToList();
        return new IndexPlan(adds, removes);
    }

    private async Task<int> ApplyAsync(EntityTarget target, IndexPlan plan, CancellationToken cancellationToken)
    {
        var bucket = context.Bucket(target.Env);
        var count = 0;
        // Adds first, removes after: a failure part-way leaves the old pointers in place (nothing for a compensation
        // to re-create), and readers never miss the entity while its keys move.
        foreach (var pointer in plan.Add)
        {
            var bytes = JsonText.ToBytes(pointer.Body);
            for (var attempt = 0; attempt < MaxRounds; attempt++)
            {
                var existing = await context.Store.GetAsync(bucket, pointer.ObjectName, null, cancellationToken);
                if (existing is not null)
                {
                    var old = JsonText.ParseObject(existing.Content.Span);
                    if (existing.Content.Span.SequenceEqual(bytes) || IndexPlanner.SameExceptUpdatedAt(old, pointer.Body)
                        || (pointer.Index.Mode == IndexMode.Latest && IsLater(pointer.Index, old, pointer.Body)))
                    {
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
            count += await RemoveIfOursAsync(bucket, pointer.ObjectName, target.Id, cancellationToken) ? 1 : 0;
        }

        return count;
    }

    /// <summary>Deletes the pointer at <paramref name="name"/> if it names <paramref name="id"/>, preconditioned on the generation read.</summary>
    private async Task<bool> RemoveIfOursAsync(string bucket, string name, string id, CancellationToken cancellationToken)
    {
        var existing = await context.Store.GetAsync(bucket, name, null, cancellationToken);
        if (existing is null || EnvelopeReader.TryGetString(JsonText.ParseObject(existing.Content.Span), "id") != id)
        {
            return false;
        }

        try
        {
            return await context.Store.DeleteAsync(bucket, name, existing.Generation, cancellationToken);
        }
        catch (PreconditionFailedException)
        {
            // Replaced meanwhile: by a writer of this entity (which re-checks the snapshot after writing and undoes a
            // stale pointer itself) or, for a latest-mode pointer, by another entity that now holds the key.
            return false;
        }
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
