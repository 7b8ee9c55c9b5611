using EccoStudio.Api.Writes;
using EccoStudio.Storage.Layout;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Host.Tests.Fakes;

/// <summary>
/// The real scheduler, except that while <see cref="Refuse"/> is set every reconcile start fails as if the engine were
/// down, so the bridge answers 500 and Pub/Sub retries (after reading the push, as a real outage would).
/// </summary>
public sealed class SwitchableScheduler(IEntityWorkScheduler inner) : IEntityWorkScheduler
{
    private volatile bool _refuse;
    private int _refused;

    public bool Refuse
    {
        get => _refuse;
        set => _refuse = value;
    }

    public int Refused => Volatile.Read(ref _refused);

    public Task<bool> StartWriteAsync(DurableTaskClient client, string instanceId, AcceptedWrite write, CancellationToken cancellationToken) =>
        inner.StartWriteAsync(client, instanceId, write, cancellationToken);

    public Task<bool> StartBatchAsync(DurableTaskClient client, string instanceId, IReadOnlyList<EccoStudio.Orchestrations.Writes.WriteEntityInput> items,
        CancellationToken cancellationToken) =>
        inner.StartBatchAsync(client, instanceId, items, cancellationToken);

    public Task<bool> StartDeleteAsync(DurableTaskClient client, string instanceId, AcceptedDelete accepted, CancellationToken cancellationToken) =>
        inner.StartDeleteAsync(client, instanceId, accepted, cancellationToken);

    public Task<bool> StartReconcileAsync(DurableTaskClient client, string instanceId, EntityTarget target, string trigger, CancellationToken cancellationToken)
    {
        if (_refuse)
        {
            Interlocked.Increment(ref _refused);
            throw new InvalidOperationException("The engine is unavailable (test switch).");
        }

        return inner.StartReconcileAsync(client, instanceId, target, trigger, cancellationToken);
    }

    public Task<bool> StartCompactionAsync(DurableTaskClient client, string instanceId, string env, string entity, CancellationToken cancellationToken) =>
        inner.StartCompactionAsync(client, instanceId, env, entity, cancellationToken);
}
