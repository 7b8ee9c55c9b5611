using System.Collections.Concurrent;
using EccoStudio.Api.Writes;
using EccoStudio.Storage.Layout;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Host.Tests.Fakes;

/// <summary>The real scheduler, with every reconcile start the bridge asks for recorded (instance id, trigger, whether it was new).</summary>
public sealed class CountingScheduler(IEntityWorkScheduler inner) : IEntityWorkScheduler
{
    public ConcurrentQueue<(string InstanceId, string Trigger, bool Started)> Reconciles { get; } = new();

    public Task<bool> StartWriteAsync(DurableTaskClient client, string instanceId, AcceptedWrite write, CancellationToken cancellationToken) =>
        inner.StartWriteAsync(client, instanceId, write, cancellationToken);

    public Task<bool> StartBatchAsync(DurableTaskClient client, string instanceId, IReadOnlyList<EccoStudio.Orchestrations.Writes.WriteEntityInput> items,
        CancellationToken cancellationToken) =>
        inner.StartBatchAsync(client, instanceId, items, cancellationToken);

    public Task<bool> StartDeleteAsync(DurableTaskClient client, string instanceId, AcceptedDelete accepted, CancellationToken cancellationToken) =>
        inner.StartDeleteAsync(client, instanceId, accepted, cancellationToken);

    public async Task<bool> StartReconcileAsync(DurableTaskClient client, string instanceId, EntityTarget target, string trigger, CancellationToken cancellationToken)
    {
        var started = await inner.StartReconcileAsync(client, instanceId, target, trigger, cancellationToken);
        Reconciles.Enqueue((instanceId, trigger, started));
        return started;
    }

    public Task<bool> StartCompactionAsync(DurableTaskClient client, string instanceId, string env, string entity, CancellationToken cancellationToken) =>
        inner.StartCompactionAsync(client, instanceId, env, entity, cancellationToken);
}
