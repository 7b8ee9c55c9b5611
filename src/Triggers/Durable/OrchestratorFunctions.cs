using EccoStudio.Orchestrations.Batches;
using EccoStudio.Orchestrations.Compaction;
using EccoStudio.Orchestrations.Deletes;
using EccoStudio.Orchestrations.Erasure;
using EccoStudio.Orchestrations.Migrations;
using EccoStudio.Orchestrations.Reconcile;
using EccoStudio.Orchestrations.Writes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Triggers.Durable;

/// <summary>
/// Hand-written orchestration triggers (the generator package is not available): each function is named after the
/// shared orchestrator class and runs it, so both hosts schedule the same names.
/// </summary>
public sealed class OrchestratorFunctions(IServiceProvider services)
{
    [Function(nameof(WriteEntityOrchestrator))]
    public Task<WriteEntityResult> RunWriteEntity([OrchestrationTrigger] TaskOrchestrationContext context) =>
        Create<WriteEntityOrchestrator>().RunAsync(context, Input<WriteEntityInput>(context));

    [Function(nameof(ReconcileEntityOrchestrator))]
    public Task<ReconcileEntityResult> RunReconcileEntity([OrchestrationTrigger] TaskOrchestrationContext context) =>
        Create<ReconcileEntityOrchestrator>().RunAsync(context, Input<ReconcileEntityInput>(context));

    [Function(nameof(CompactManifestOrchestrator))]
    public Task<CompactManifestResult> RunCompactManifest([OrchestrationTrigger] TaskOrchestrationContext context) =>
        Create<CompactManifestOrchestrator>().RunAsync(context, Input<CompactManifestInput>(context));

    [Function(nameof(BatchWriteOrchestrator))]
    public Task<BatchWriteResult> RunBatchWrite([OrchestrationTrigger] TaskOrchestrationContext context) =>
        Create<BatchWriteOrchestrator>().RunAsync(context, Input<BatchWriteInput>(context));

    [Function(nameof(DeleteEntityOrchestrator))]
    public Task<DeleteEntityResult> RunDeleteEntity([OrchestrationTrigger] TaskOrchestrationContext context) =>
        Create<DeleteEntityOrchestrator>().RunAsync(context, Input<DeleteEntityInput>(context));

    [Function(nameof(EraseEntityOrchestrator))]
    public Task<EraseEntityResult> RunEraseEntity([OrchestrationTrigger] TaskOrchestrationContext context) =>
        Create<EraseEntityOrchestrator>().RunAsync(context, Input<EraseEntityInput>(context));

    [Function(nameof(MigrateSchemaOrchestrator))]
    public Task<MigrateSchemaResult> RunMigrateSchema([OrchestrationTrigger] TaskOrchestrationContext context) =>
        Create<MigrateSchemaOrchestrator>().RunAsync(context, Input<MigrateSchemaInput>(context));

    [Function(nameof(MigrateSchemaPageOrchestrator))]
    public Task<MigrateSchemaPageResult> RunMigrateSchemaPage([OrchestrationTrigger] TaskOrchestrationContext context) =>
        Create<MigrateSchemaPageOrchestrator>().RunAsync(context, Input<MigrateSchemaPageInput>(context));

    private T Create<T>()
        where T : class => ActivatorUtilities.GetServiceOrCreateInstance<T>(services);

    private static T Input<T>(TaskOrchestrationContext context) =>
        context.GetInput<T>() ?? throw new InvalidOperationException($"Orchestration {context.InstanceId} has no {typeof(T).Name} input.");
}
