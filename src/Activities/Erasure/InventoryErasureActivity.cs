using EccoStudio.Activities.Common;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Erasure;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Erasure;

/// <summary>Input: the entity to erase.</summary>
public sealed record InventoryErasureInput(EntityRef Entity);

/// <summary>
/// Erase, step 0: every generation the erasure will remove, by category and name (<see cref="EntityEraser.InventoryAsync"/>),
/// so the record can say what the entity had even when a later step is retried after removing part of it. Removes
/// nothing. An entity with nothing to erase (unknown id, wrong kind, erased already) is <see cref="EntityNotFoundException"/>:
/// not transient, the orchestration ends with nothing written; so is history under object retention
/// (<see cref="ErasureBlockedException"/>, docs/recovery.md "erase").
/// </summary>
public sealed class InventoryErasureActivity(StorageContext storage, IObjectVersions versions) : TaskActivity<InventoryErasureInput, ErasureTally>
{
    public override async Task<ErasureTally> RunAsync(TaskActivityContext context, InventoryErasureInput input)
    {
        var target = input.Entity.ToTarget();
        var eraser = new EntityEraser(storage, versions);
        if (!await eraser.HasObjectsAsync(target))
        {
            throw new EntityNotFoundException(target, EntityEraser.NothingToErase(target));
        }

        // Before the started record and any delete: retained history (§8 audit retention) cannot be erased here.
        await eraser.CheckRetentionAsync(target, overrideUnlockedRetention: false);

        return ErasureTally.From(await eraser.InventoryAsync(target));
    }
}
