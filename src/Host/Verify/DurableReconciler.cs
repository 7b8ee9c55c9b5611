using EccoStudio.Orchestrations.Instances;
using EccoStudio.Orchestrations.Reconcile;
using EccoStudio.Storage.Consistency;
using EccoStudio.Storage.Layout;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Host.Verify;

/// <summary>
/// Starts one <see cref="ReconcileEntityOrchestrator"/> per drifted entity (instance id
/// <see cref="InstanceIds.ReconcileForVerify"/>, started with dedupe statuses so a retried start is not a
/// second reconcile), at most <paramref name="parallelism"/> at once, and waits for each to end.
/// </summary>
public sealed class DurableReconciler(DurableTaskClient client, int parallelism = 16, TimeSpan? timeout = null) : IEntityReconciler
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private int _round;

    /// <summary>Instance ids started so far (for reports and tests).</summary>
    public List<string> Started { get; } = [];

    public async Task<int> ReconcileAsync(IReadOnlyCollection<EntityTarget> targets, CancellationToken cancellationToken)
    {
        var round = Interlocked.Increment(ref _round);
        var completed = 0;
        await Parallel.ForEachAsync(targets, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (target, ct) =>
        {
            var instanceId = InstanceIds.ReconcileForVerify(target, _run, round);
            var started = (await client.TryStartOrchestrationAsync(nameof(ReconcileEntityOrchestrator), instanceId,
                new ReconcileEntityInput(target.Env, target.Kind.Name, target.Id, "verify"), StartDedupe.RefuseIfExists, ct)).Started;
            lock (Started)
            {
                Started.Add(instanceId);
            }

            if (await WaitAsync(instanceId, ct) == OrchestrationRuntimeStatus.Completed && started)
            {
                Interlocked.Increment(ref completed);
            }
        });
        return completed;
    }

    private async Task<OrchestrationRuntimeStatus?> WaitAsync(string instanceId, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(5));
        var delay = TimeSpan.FromMilliseconds(50);
        while (DateTime.UtcNow < deadline)
        {
            var state = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
            if (state is { IsCompleted: true })
            {
                return state.RuntimeStatus;
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }

        return null;
    }
}
