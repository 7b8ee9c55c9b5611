using EccoStudio.Orchestrations.Composition;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Orchestrations.Steps;
using EccoStudio.Orchestrations.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Orchestrations.Batches;

/// <summary>Input: the writes (each one a <see cref="WriteEntityInput"/>) and an optional cap on writes in flight.</summary>
public sealed record BatchWriteInput(IReadOnlyList<WriteEntityInput> Items, int? MaxParallelism = null);

/// <summary>One item's outcome: the sub-orchestration instance, and its history object or its failure reason.</summary>
public sealed record BatchItemResult(int Index, string InstanceId, bool Succeeded, string? HistoryObject, string? Error);

/// <summary>Counts and per-item results, in input order.</summary>
public sealed record BatchWriteResult(int Succeeded, int Failed, IReadOnlyList<BatchItemResult> Items);

/// <summary>Progress shown as custom status while a batch runs.</summary>
public sealed record BatchStatus(int Total, int Done, int Failed, int InFlight);

/// <summary>
/// Spec §10 "batch writes for high-churn entities": every item is a <see cref="WriteEntityOrchestrator"/>
/// sub-orchestration (instance id <c>{batch}:{index}</c>, so a replayed batch never starts an item twice), at most
/// <see cref="BatchWriteInput.MaxParallelism"/> (default <see cref="WritePathOptions.BatchParallelism"/>) in flight.
/// A failed item does not stop the batch; each item's result is reported.
/// </summary>
public sealed class BatchWriteOrchestrator(WritePathOptions options) : TaskOrchestrator<BatchWriteInput, BatchWriteResult>
{
    public override async Task<BatchWriteResult> RunAsync(TaskOrchestrationContext context, BatchWriteInput input)
    {
        var max = Math.Max(1, input.MaxParallelism ?? options.BatchParallelism);
        var results = new BatchItemResult?[input.Items.Count];
        var running = new Dictionary<Task<WriteEntityResult>, int>();
        var next = 0;
        var done = 0;
        var failed = 0;
        while (next < input.Items.Count || running.Count > 0)
        {
            while (running.Count < max && next < input.Items.Count)
            {
                var childId = InstanceIds.BatchItem(context.InstanceId, next);
                var task = context.CallSubOrchestratorAsync<WriteEntityResult>(nameof(WriteEntityOrchestrator), input.Items[next],
                    new SubOrchestrationOptions { InstanceId = childId });
                running.Add(task, next++);
            }

            var finished = await Task.WhenAny(running.Keys);
            var index = running[finished];
            running.Remove(finished);
            var id = InstanceIds.BatchItem(context.InstanceId, index);
            if (finished.IsCompletedSuccessfully)
            {
                results[index] = new BatchItemResult(index, id, true, finished.Result.HistoryObject, null);
            }
            else
            {
                var error = finished.Exception?.InnerException is TaskFailedException tf ? StepFailures.Describe(tf) : finished.Exception?.InnerException?.Message;
                results[index] = new BatchItemResult(index, id, false, null, error);
                failed++;
            }

            done++;
            context.SetCustomStatus(new BatchStatus(input.Items.Count, done, failed, running.Count));
        }

        return new BatchWriteResult(done - failed, failed, results.Select(r => r!).ToList());
    }
}
