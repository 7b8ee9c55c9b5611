using Microsoft.DurableTask.Client;

namespace EccoStudio.Reliability.Tests.Support;

/// <summary>Waiting for instances and finding stuck ones through the Durable client.</summary>
public static class Instances
{
    /// <summary>Polls until every instance has ended (or the timeout); returns the last metadata seen per id (with outputs).</summary>
    public static async Task<IReadOnlyDictionary<string, OrchestrationMetadata?>> WaitAllAsync(DurableTaskClient client, IEnumerable<string> instanceIds, TimeSpan timeout)
    {
        var pending = instanceIds.Distinct(StringComparer.Ordinal).ToList();
        var done = new Dictionary<string, OrchestrationMetadata?>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + timeout;
        while (pending.Count > 0)
        {
            var still = new System.Collections.Concurrent.ConcurrentBag<(string Id, OrchestrationMetadata? State)>();
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
                still.Add((id, await client.GetInstanceAsync(id, getInputsAndOutputs: true, ct))));
            pending = [];
            foreach (var (id, state) in still)
            {
                if (state is { IsCompleted: true } || DateTime.UtcNow > deadline)
                {
                    done[id] = state;
                }
                else
                {
                    pending.Add(id);
                }
            }

            if (pending.Count > 0)
            {
                await Task.Delay(250);
            }
        }

        return done;
    }

    /// <summary>Instances that are still Pending, Running or Suspended.</summary>
    public static async Task<IReadOnlyList<string>> NotEndedAsync(DurableTaskClient client)
    {
        var query = new OrchestrationQuery
        {
            Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended],
            PageSize = 500,
        };
        var ids = new List<string>();
        await foreach (var instance in client.GetAllInstancesAsync(query))
        {
            ids.Add(instance.InstanceId);
        }

        return ids;
    }
}
