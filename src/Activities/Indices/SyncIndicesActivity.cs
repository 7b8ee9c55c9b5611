using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EccoStudio.Activities.Common;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Snapshots;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Indices;

/// <summary>
/// Input: the snapshot before and after by generation (<see cref="BeforeGeneration"/>, <see cref="AfterGeneration"/>;
/// 0 = absent) and whether the plan between them is empty (<see cref="PlanEmpty"/>, from the snapshot step).
/// <see cref="Before"/>/<see cref="After"/> are the in-process view (null = absent), never serialized.
/// </summary>
/// <param name="RepairAfter">The before-state is not known for sure (a retried snapshot step): every pointer of the
/// after-state is compared with what is stored instead of trusting the plan; what the true before-state had is in the
/// snapshot's pending list (<see cref="PendingPointers"/>), which the step settles either way.</param>
public sealed record SyncIndicesInput(EntityRef Entity, [property: JsonIgnore] string? Before, [property: JsonIgnore] string? After, long AfterGeneration,
    bool RepairAfter = false)
{
    /// <summary>Generation of the before-state: 0 = there was no snapshot (or the in-process <see cref="Before"/> says it); null = unknown.</summary>
    public long? BeforeGeneration { get; init; } = 0;

    /// <summary>The snapshot step found the plan from before to after empty: nothing to read and nothing to write unless repairing.</summary>
    public bool PlanEmpty { get; init; }
}

/// <summary>
/// Step 4: index pointers moved from the before-state to the after-state, then made to follow the stored snapshot
/// (<see cref="IndexWriter"/>: adds compared with what is stored, removes preconditioned and only of pointers naming
/// this id, converged again if the snapshot moved, the snapshot's pending pointers settled).
/// Idempotent. Also used by compensation with before/after swapped. Returns the number of object writes.
/// Both states are read by generation (versioning keeps replaced and deleted generations), so the step works on what
/// the snapshot step saw, exactly as when the states travelled as text. When one cannot be read (gone from an
/// unversioned bucket): an unreadable after-state means the snapshot moved on, and the step repairs the entity's
/// pointers by listing its index folders (<see cref="IndexRepairer"/>): its re-check would have taken it to the live
/// snapshot anyway, but an earlier attempt may have left after-state pointers that no pending list names; an unreadable before-state is repaired
/// the same way (a stored state's pointers may have been written after the move that replaced it settled its pending
/// list); an unknown one (null) turns the plan into a repair against the live snapshot and its pending list
/// (docs/reliability.md "Index pointers").
/// </summary>
public sealed class SyncIndicesActivity(StorageContext storage) : TaskActivity<SyncIndicesInput, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, SyncIndicesInput input)
    {
        var target = input.Entity.ToTarget();
        if (input.Before is not null || input.After is not null)
        {
            return await new IndexWriter(storage).SyncAsync(target, WireJson.Parse(input.Before), WireJson.Parse(input.After), input.AfterGeneration,
                trustPlan: !input.RepairAfter);
        }

        var repair = input.RepairAfter;
        if (!repair && input.PlanEmpty)
        {
            // The snapshot step compared before and after: keys and display fields unchanged, nothing pending.
            return 0;
        }

        var reader = new EntityReader(storage);
        JsonObject? after = null;
        var afterGeneration = input.AfterGeneration;
        if (afterGeneration > 0)
        {
            var stored = await reader.GetSnapshotAsync(target, afterGeneration);
            if (stored is null)
            {
                // The snapshot moved on. An earlier attempt of this step may have written the after-state's pointers
                // after the mover's index step settled them and died before its re-check undid them: nothing records
                // those names, so repair by listing (found by the write-protocol simulation, seed 222 of the fan-out).
                return await new IndexRepairer(storage).RepairAsync(target);
            }
            else
            {
                after = stored.Document;
            }
        }

        JsonObject? before = null;
        if (input.BeforeGeneration != 0)
        {
            var stored = input.BeforeGeneration is { } generation ? await reader.GetSnapshotAsync(target, generation) : null;
            if (stored is not null)
            {
                before = stored.Document;
            }
            else
            {
                repair = true;
                if (input.BeforeGeneration > 0)
                {
                    // A state whose pointers may still be out there and that no pending list may name: this write's own
                    // index step may have written them after the mover settled its list (the simulation, seed 1703 of
                    // the fan-out: a compensation whose failed index step had done so).
                    return await new IndexRepairer(storage).RepairAsync(target);
                }
            }
        }

        return await new IndexWriter(storage).SyncAsync(target, before, after, afterGeneration, trustPlan: !repair);
    }
}
