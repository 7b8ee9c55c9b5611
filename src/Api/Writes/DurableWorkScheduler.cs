using EccoStudio.Orchestrations.Batches;
using EccoStudio.Orchestrations.Compaction;
using EccoStudio.Orchestrations.Deletes;
using EccoStudio.Orchestrations.Erasure;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Orchestrations.Migrations;
using EccoStudio.Orchestrations.Reconcile;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.Layout;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Api.Writes;

/// <summary>
/// Starts the shared orchestrator classes (by class name, as both hosts register them) with dedupe. Writes arrive
/// staged (<see cref="WriteStaging"/>, by the request handlers): the orchestration input carries the reference, never
/// the document.
/// </summary>
public sealed class DurableWorkScheduler : IEntityWorkScheduler
{
    public Task<bool> StartWriteAsync(DurableTaskClient client, string instanceId, AcceptedWrite write, CancellationToken cancellationToken) =>
        StartAsync(client, nameof(WriteEntityOrchestrator), instanceId, ToInput(write), cancellationToken);

    public Task<bool> StartBatchAsync(DurableTaskClient client, string instanceId, IReadOnlyList<WriteEntityInput> items, CancellationToken cancellationToken) =>
        StartAsync(client, nameof(BatchWriteOrchestrator), instanceId, new BatchWriteInput(items), cancellationToken);

    /// <summary>The orchestration input of an accepted write: its staged change when it has one (else the document, to stage).</summary>
    public static WriteEntityInput ToInput(AcceptedWrite write) =>
        new(write.Target.Env, write.Target.Kind.Name, write.Target.Id, write.Staged is null ? write.Body.ToJsonString() : null, write.Change, write.Author,
            write.Precondition)
        {
            Staged = write.Staged,
            UpdatedAt = write.UpdatedAt,
            Validated = write.Validated,
        };

    public Task<bool> StartDeleteAsync(DurableTaskClient client, string instanceId, AcceptedDelete accepted, CancellationToken cancellationToken) =>
        StartAsync(client, nameof(DeleteEntityOrchestrator), instanceId,
            new DeleteEntityInput(accepted.Target.Env, accepted.Target.Kind.Name, accepted.Target.Id, accepted.At, accepted.IfMatchGeneration, accepted.Author),
            cancellationToken);

    public Task<bool> StartReconcileAsync(DurableTaskClient client, string instanceId, EntityTarget target, string trigger, CancellationToken cancellationToken) =>
        StartAsync(client, nameof(ReconcileEntityOrchestrator), instanceId,
            new ReconcileEntityInput(target.Env, target.Kind.Name, target.Id, trigger), cancellationToken);

    public Task<bool> StartCompactionAsync(DurableTaskClient client, string instanceId, string env, string entity, CancellationToken cancellationToken) =>
        StartAsync(client, nameof(CompactManifestOrchestrator), instanceId, new CompactManifestInput(env, entity), cancellationToken);

    public Task<bool> StartEraseAsync(DurableTaskClient client, string instanceId, EraseEntityInput input, CancellationToken cancellationToken) =>
        StartAsync(client, nameof(EraseEntityOrchestrator), instanceId, input, cancellationToken);

    /// <summary>A migration that is running or completed is found, not started again; a failed or terminated one is (it finishes what is left).</summary>
    public async Task<bool> StartMigrationAsync(DurableTaskClient client, string instanceId, MigrateSchemaInput input, CancellationToken cancellationToken) =>
        (await client.TryStartOrchestrationAsync(nameof(MigrateSchemaOrchestrator), instanceId, input, StartDedupe.RefuseUnlessFailedOrTerminated, cancellationToken)).Started;

    private static async Task<bool> StartAsync(DurableTaskClient client, string orchestrator, string instanceId, object input, CancellationToken cancellationToken) =>
        (await client.TryStartOrchestrationAsync(orchestrator, instanceId, input, StartDedupe.RefuseIfExists, cancellationToken)).Started;
}
