using EccoStudio.Activities.Common;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Indices;

/// <summary>Input: the snapshot before and after (null = absent) and the generation of <see cref="After"/>.</summary>
public sealed record SyncIndicesInput(EntityRef Entity, string? Before, string? After, long AfterGeneration);

/// <summary>
/// Step 4: index pointers moved from the before-state to the after-state (<see cref="IndexWriter"/>: adds compared
/// with what is stored, removes preconditioned and only of pointers naming this id, re-planned if the snapshot moved).
/// Idempotent. Also used by compensation with before/after swapped. Returns the number of object writes.
/// </summary>
public sealed class SyncIndicesActivity(StorageContext storage) : TaskActivity<SyncIndicesInput, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, SyncIndicesInput input) =>
        new IndexWriter(storage).SyncAsync(input.Entity.ToTarget(), WireJson.Parse(input.Before), WireJson.Parse(input.After), input.AfterGeneration);
}
