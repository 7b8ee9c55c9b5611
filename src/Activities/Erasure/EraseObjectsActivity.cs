using EccoStudio.Activities.Common;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Erasure;
using EccoStudio.Storage.Store;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Erasure;

/// <summary>Input: the entity and the erasure step (<see cref="EntityEraser.Steps"/>: snapshot, indices, manifest, history).</summary>
public sealed record EraseObjectsInput(EntityRef Entity, string Step);

/// <summary>
/// Erase, one step: every generation of the objects the step covers is deleted for good (<see cref="EntityEraser.EraseStepAsync"/>).
/// Idempotent: a retry lists again and finds only what an earlier attempt left; returns what this attempt removed.
/// </summary>
public sealed class EraseObjectsActivity(StorageContext storage, IObjectVersions versions) : TaskActivity<EraseObjectsInput, ErasureTally>
{
    public override async Task<ErasureTally> RunAsync(TaskActivityContext context, EraseObjectsInput input) =>
        ErasureTally.From(await new EntityEraser(storage, versions).EraseStepAsync(input.Entity.ToTarget(), input.Step));
}
