using EccoStudio.Activities.Alerts;
using EccoStudio.Activities.Erasure;
using EccoStudio.Activities.History;
using EccoStudio.Activities.Indices;
using EccoStudio.Activities.Manifests;
using EccoStudio.Activities.Migrations;
using EccoStudio.Activities.Ops;
using EccoStudio.Activities.Rules;
using EccoStudio.Activities.Snapshots;
using EccoStudio.Orchestrations.Batches;
using EccoStudio.Orchestrations.Compaction;
using EccoStudio.Orchestrations.Deletes;
using EccoStudio.Orchestrations.Erasure;
using EccoStudio.Orchestrations.Migrations;
using EccoStudio.Orchestrations.Reconcile;
using EccoStudio.Orchestrations.Writes;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Orchestrations.Composition;

/// <summary>Wraps an activity as it is registered (tests inject crashes this way); returns the activity to run.</summary>
public delegate ITaskActivity ActivityDecorator(string name, ITaskActivity activity, IServiceProvider services);

/// <summary>
/// Every orchestrator and activity of the write path, registered by class name (the Functions app wraps the same
/// classes under the same names). Use in the engine's registry callback: <c>r =&gt; WritePathTasks.Register(r, options)</c>.
/// </summary>
public static class WritePathTasks
{
    /// <summary>The activity types, by registration name.</summary>
    public static IReadOnlyList<Type> ActivityTypes { get; } =
    [
        typeof(ValidateChangeActivity), typeof(PrepareDeleteActivity), typeof(AppendHistoryActivity), typeof(AppendCompensationActivity),
        typeof(ApplySnapshotActivity), typeof(RestoreSnapshotActivity), typeof(RebuildSnapshotActivity),
        typeof(UpsertManifestEntryActivity), typeof(RestoreManifestEntryActivity),
        typeof(BeginCompactionActivity), typeof(WriteManifestShardActivity), typeof(FinishCompactionActivity),
        typeof(SyncIndicesActivity), typeof(RepairIndicesActivity),
        typeof(EvaluateRulesActivity), typeof(DeliverAlertActivity), typeof(DiscardAlertsActivity), typeof(RecordOpsEventActivity),
        typeof(InventoryErasureActivity), typeof(WriteErasureRecordActivity), typeof(EraseObjectsActivity),
        typeof(CheckMigrationTargetActivity), typeof(ListMigrationPageActivity), typeof(MigrateEntityActivity), typeof(RecordMigrationActivity),
    ];

    /// <summary>The orchestrator types.</summary>
    public static IReadOnlyList<Type> OrchestratorTypes { get; } =
    [
        typeof(WriteEntityOrchestrator), typeof(ReconcileEntityOrchestrator), typeof(CompactManifestOrchestrator), typeof(BatchWriteOrchestrator),
        typeof(DeleteEntityOrchestrator), typeof(EraseEntityOrchestrator), typeof(MigrateSchemaOrchestrator), typeof(MigrateSchemaPageOrchestrator),
    ];

    /// <summary>
    /// An <see cref="ActivityDecorator"/> that applies the one registered in the host's services, if any: a host that
    /// composes its engine itself (the dev host) lets its tests wrap activities through DI.
    /// </summary>
    public static ITaskActivity DecorateFromServices(string name, ITaskActivity activity, IServiceProvider services) =>
        services.GetService<ActivityDecorator>() is { } decorate ? decorate(name, activity, services) : activity;

    /// <summary>
    /// Registers everything. Orchestrators are created by the worker without DI, so they get <paramref name="options"/>
    /// here (the same instance <c>AddEccoWritePath</c> registers); activities are created from the service provider.
    /// </summary>
    public static void Register(DurableTaskRegistry registry, WritePathOptions options, ActivityDecorator? decorate = null)
    {
        registry.AddOrchestrator(nameof(WriteEntityOrchestrator), () => new WriteEntityOrchestrator(options));
        registry.AddOrchestrator(nameof(ReconcileEntityOrchestrator), () => new ReconcileEntityOrchestrator(options));
        registry.AddOrchestrator(nameof(CompactManifestOrchestrator), () => new CompactManifestOrchestrator(options));
        registry.AddOrchestrator(nameof(BatchWriteOrchestrator), () => new BatchWriteOrchestrator(options));
        registry.AddOrchestrator(nameof(DeleteEntityOrchestrator), () => new DeleteEntityOrchestrator(options));
        registry.AddOrchestrator(nameof(EraseEntityOrchestrator), () => new EraseEntityOrchestrator(options));
        registry.AddOrchestrator(nameof(MigrateSchemaOrchestrator), () => new MigrateSchemaOrchestrator(options));
        registry.AddOrchestrator(nameof(MigrateSchemaPageOrchestrator), () => new MigrateSchemaPageOrchestrator(options));

        foreach (var type in ActivityTypes)
        {
            var name = type.Name;
            registry.AddActivity(name, sp =>
            {
                var activity = new SpanTaggingActivity(name, (ITaskActivity)ActivatorUtilities.CreateInstance(sp, type));
                return decorate is null ? activity : decorate(name, activity, sp);
            });
        }
    }
}
