using EccoStudio.Orchestrations.Erasure;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Orchestrations.Migrations;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.Layout;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Api.Writes;

/// <summary>
/// Starts the orchestrations behind the API (write, reconcile, compaction) with explicit dedupe: a start whose
/// instance id exists already is refused and reported as not started.
/// </summary>
public interface IEntityWorkScheduler
{
    /// <summary>Starts WriteEntityOrchestrator as <paramref name="instanceId"/>; false when that instance already exists.</summary>
    Task<bool> StartWriteAsync(DurableTaskClient client, string instanceId, AcceptedWrite write, CancellationToken cancellationToken);

    /// <summary>Starts BatchWriteOrchestrator over <paramref name="items"/> as <paramref name="instanceId"/>; false when that instance already exists.</summary>
    Task<bool> StartBatchAsync(DurableTaskClient client, string instanceId, IReadOnlyList<WriteEntityInput> items, CancellationToken cancellationToken);

    /// <summary>Starts DeleteEntityOrchestrator as <paramref name="instanceId"/>; false when that instance already exists.</summary>
    Task<bool> StartDeleteAsync(DurableTaskClient client, string instanceId, AcceptedDelete accepted, CancellationToken cancellationToken);

    /// <summary>Starts ReconcileEntityOrchestrator as <paramref name="instanceId"/>; false when that instance already exists.</summary>
    Task<bool> StartReconcileAsync(DurableTaskClient client, string instanceId, EntityTarget target, string trigger, CancellationToken cancellationToken);

    /// <summary>Starts CompactManifestOrchestrator for one env + entity; false when that instance already exists.</summary>
    Task<bool> StartCompactionAsync(DurableTaskClient client, string instanceId, string env, string entity, CancellationToken cancellationToken);

    /// <summary>
    /// Starts EraseEntityOrchestrator as <paramref name="instanceId"/>; false when that instance already exists. A default
    /// body (a plain deduplicated start) so schedulers that only observe writes need not implement it.
    /// </summary>
    async Task<bool> StartEraseAsync(DurableTaskClient client, string instanceId, EraseEntityInput input, CancellationToken cancellationToken) =>
        (await client.TryStartOrchestrationAsync(nameof(EraseEntityOrchestrator), instanceId, input, StartDedupe.RefuseIfExists, cancellationToken)).Started;

    /// <summary>
    /// Starts MigrateSchemaOrchestrator as <paramref name="instanceId"/> unless that migration is pending, running or
    /// completed (false then); a failed or terminated one is started again. A default body, as for erasure.
    /// </summary>
    async Task<bool> StartMigrationAsync(DurableTaskClient client, string instanceId, MigrateSchemaInput input, CancellationToken cancellationToken) =>
        (await client.TryStartOrchestrationAsync(nameof(MigrateSchemaOrchestrator), instanceId, input, StartDedupe.RefuseUnlessFailedOrTerminated, cancellationToken)).Started;
}
