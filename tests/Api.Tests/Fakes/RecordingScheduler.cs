using System.Collections.Concurrent;
using EccoStudio.Api.Writes;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.Layout;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Api.Tests.Fakes;

/// <summary>Records every start and deduplicates by instance id, like the real scheduler.</summary>
public sealed class RecordingScheduler : IEntityWorkScheduler
{
    private readonly ConcurrentDictionary<string, byte> _started = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string Kind, string InstanceId, string Target, string? Trigger)> Calls { get; } = new();

    public Task<bool> StartWriteAsync(DurableTaskClient client, string instanceId, AcceptedWrite write, CancellationToken cancellationToken) =>
        Record("write", instanceId, write.Target.ToString(), null);

    public Task<bool> StartBatchAsync(DurableTaskClient client, string instanceId, IReadOnlyList<WriteEntityInput> items, CancellationToken cancellationToken) =>
        Record("batch", instanceId, $"{items.Count} item(s)", null);

    public Task<bool> StartDeleteAsync(DurableTaskClient client, string instanceId, AcceptedDelete accepted, CancellationToken cancellationToken) =>
        Record("delete", instanceId, accepted.Target.ToString(), null);

    public Task<bool> StartReconcileAsync(DurableTaskClient client, string instanceId, EntityTarget target, string trigger, CancellationToken cancellationToken) =>
        Record("reconcile", instanceId, target.ToString(), trigger);

    public Task<bool> StartCompactionAsync(DurableTaskClient client, string instanceId, string env, string entity, CancellationToken cancellationToken) =>
        Record("compaction", instanceId, $"{env}/{entity}", null);

    private Task<bool> Record(string kind, string instanceId, string target, string? trigger)
    {
        Calls.Enqueue((kind, instanceId, target, trigger));
        return Task.FromResult(_started.TryAdd(instanceId, 0));
    }
}
