using System.Diagnostics;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Engine.Tests.Support;

/// <summary>
/// Polls <see cref="DurableTaskClient.GetInstanceAsync(string, bool, CancellationToken)"/> (WaitForInstanceCompletionAsync
/// polls on a ~2 s interval on Azure Storage). The timeout is only a guard against hanging.
/// </summary>
public static class InstanceWaiting
{
    /// <summary>Guard used when none is given.</summary>
    public static readonly TimeSpan DefaultGuard = TimeSpan.FromSeconds(90);

    /// <summary>Waits until the instance is in a terminal status.</summary>
    public static Task<OrchestrationMetadata> WaitForTerminalAsync(
        this DurableTaskClient client, string instanceId, TimeSpan? guard = null) =>
        client.WaitUntilAsync(instanceId, m => m.IsCompleted, guard);

    /// <summary>Waits until the instance satisfies <paramref name="condition"/>.</summary>
    public static async Task<OrchestrationMetadata> WaitUntilAsync(
        this DurableTaskClient client, string instanceId, Func<OrchestrationMetadata, bool> condition, TimeSpan? guard = null)
    {
        var limit = guard ?? DefaultGuard;
        var clock = Stopwatch.StartNew();
        OrchestrationMetadata? last = null;
        while (clock.Elapsed < limit)
        {
            last = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException(
            $"Instance {instanceId} did not reach the expected state within {limit}; last status {last?.RuntimeStatus}, custom status {last?.SerializedCustomStatus}.");
    }

    /// <summary>Waits until <paramref name="count"/> instances whose id starts with <paramref name="prefix"/> are terminal (one query per poll).</summary>
    public static async Task WaitForAllTerminalAsync(this DurableTaskClient client, string prefix, int count, TimeSpan? guard = null)
    {
        var limit = guard ?? DefaultGuard;
        var clock = Stopwatch.StartNew();
        var terminal = 0;
        while (clock.Elapsed < limit)
        {
            terminal = 0;
            var query = new OrchestrationQuery
            {
                InstanceIdPrefix = prefix,
                Statuses = [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated],
                PageSize = 1000,
                FetchInputsAndOutputs = false,
            };
            await foreach (var _ in client.GetAllInstancesAsync(query))
            {
                terminal++;
            }

            if (terminal >= count)
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Only {terminal} of {count} instances with prefix {prefix} were terminal after {limit}.");
    }
}
