using EccoStudio.Activities.Common;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Indices;

/// <summary>Input: the snapshot before and after (null = absent) and the generation of <see cref="After"/>.</summary>
/// <param name="RepairAfter">The before-state is not known for sure (a retried snapshot step): after the planned moves,
/// repair every pointer of the entity against its current snapshot (<see cref="IndexRepairer"/>; lists the index folders).</param>
public sealed record SyncIndicesInput(EntityRef Entity, string? Before, string? After, long AfterGeneration, bool RepairAfter = false);

/// <summary>
/// Step 4: index pointers moved from the before-state to the after-state (<see cref="IndexWriter"/>: adds compared
/// with what is stored, removes preconditioned and only of pointers naming this id, re-planned if the snapshot moved).
/// Idempotent. Also used by compensation with before/after swapped. Returns the number of object writes.
/// </summary>
public sealed class SyncIndicesActivity(StorageContext storage) : TaskActivity<SyncIndicesInput, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, SyncIndicesInput input)
    {
        var target = input.Entity.ToTarget();
        var writes = await new IndexWriter(storage).SyncAsync(target, WireJson.Parse(input.Before), WireJson.Parse(input.After), input.AfterGeneration);
        return input.RepairAfter ? writes + await new IndexRepairer(storage).RepairAsync(target) : writes;
    }
}
