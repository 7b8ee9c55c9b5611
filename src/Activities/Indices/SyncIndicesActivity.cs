using EccoStudio.Activities.Common;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Indices;

/// <summary>Input: the snapshot before and after (null = absent) and the generation of <see cref="After"/>.</summary>
/// <param name="RepairAfter">The before-state is not known for sure (a retried snapshot step): every pointer of the
/// after-state is compared with what is stored instead of trusting the plan; what the true before-state had is in the
/// snapshot's pending list (<see cref="PendingPointers"/>), which the step settles either way.</param>
public sealed record SyncIndicesInput(EntityRef Entity, string? Before, string? After, long AfterGeneration, bool RepairAfter = false);

/// <summary>
/// Step 4: index pointers moved from the before-state to the after-state, then made to follow the stored snapshot
/// (<see cref="IndexWriter"/>: adds compared with what is stored, removes preconditioned and only of pointers naming
/// this id, converged again if the snapshot moved, the snapshot's pending pointers settled).
/// Idempotent. Also used by compensation with before/after swapped. Returns the number of object writes.
/// </summary>
public sealed class SyncIndicesActivity(StorageContext storage) : TaskActivity<SyncIndicesInput, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, SyncIndicesInput input)
    {
        var target = input.Entity.ToTarget();
        return await new IndexWriter(storage).SyncAsync(target, WireJson.Parse(input.Before), WireJson.Parse(input.After), input.AfterGeneration,
            trustPlan: !input.RepairAfter);
    }
}
