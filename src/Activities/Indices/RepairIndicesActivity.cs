using EccoStudio.Activities.Common;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Indices;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Indices;

/// <summary>Input: the entity whose pointers to repair against its current snapshot.</summary>
public sealed record RepairIndicesInput(EntityRef Entity);

/// <summary>Reconcile: every pointer of the current snapshot present and right, every other pointer naming this id gone (<see cref="IndexRepairer"/>).</summary>
public sealed class RepairIndicesActivity(StorageContext storage) : TaskActivity<RepairIndicesInput, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, RepairIndicesInput input) =>
        new IndexRepairer(storage).RepairAsync(input.Entity.ToTarget());
}
