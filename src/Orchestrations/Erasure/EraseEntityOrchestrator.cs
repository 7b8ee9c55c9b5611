using EccoStudio.Activities.Common;
using EccoStudio.Activities.Erasure;
using EccoStudio.Activities.Ops;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Orchestrations.Steps;
using EccoStudio.Storage.Erasure;
using EccoStudio.Storage.Layout;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Orchestrations.Erasure;

/// <summary>Input of an erasure: the target, why, who asked, and when the request was accepted.</summary>
public sealed record EraseEntityInput(string Env, string Entity, string Id, string Reason, string RequestedBy, DateTimeOffset At);

/// <summary>
/// What a completed erasure did: its record's object name, object generations removed by category and in total (as
/// recorded: see <see cref="ErasureReport.Recorded"/>), manifest shard generations removed, and attempts per step.
/// </summary>
public sealed record EraseEntityResult(string Record, IReadOnlyDictionary<string, int> VersionsRemoved, int TotalVersions, int ShardsRewritten,
    IReadOnlyDictionary<string, int> Attempts);

/// <summary>
/// Erasure of one entity's personal data as a durable orchestration (docs/recovery.md, "Erase"), the storage erasure
/// (<see cref="EntityEraser"/>) one step per activity: inventory (what there is; nothing → Failed, nothing written) →
/// "started" erasure record → snapshot and manifest entry → index pointers → manifest shards (then compaction) →
/// history → "completed" record. Every step is idempotent and retried under the write path's policy, so a crash or a
/// storage failure mid-way resumes where it stopped. There is no compensation: a deleted generation cannot come back
/// and the request is to remove it. A step that fails for good ends the instance Failed naming the step, with an ops
/// record (<c>erase-failed</c>) and the "started" record left as evidence; starting the same erasure again finishes it.
/// </summary>
public sealed partial class EraseEntityOrchestrator(WritePathOptions options) : TaskOrchestrator<EraseEntityInput, EraseEntityResult>
{
    public const string Inventory = "inventory";
    public const string RecordStarted = "record-started";
    public const string RecordCompleted = "record-completed";

    public override async Task<EraseEntityResult> RunAsync(TaskOrchestrationContext context, EraseEntityInput input)
    {
        var logger = context.CreateReplaySafeLogger<EraseEntityOrchestrator>();
        var target = EntityTarget.Of(input.Env, input.Entity, input.Id);
        var entity = EntityRef.From(target);
        var run = DeterministicUlid.Create(context.CurrentUtcDateTime, context.NewGuid()).ToString();
        var steps = new StepTracker(context, options.Retry, null, "erase");
        steps.Tag(target.Env, target.Kind.Name, target.Id);
        var removed = ErasureTally.Empty;
        ErasureTally? inventory = null;
        try
        {
            inventory = await steps.RunAsync<ErasureTally>(Inventory, nameof(InventoryErasureActivity), new InventoryErasureInput(entity));
            var record = new WriteErasureRecordInput(entity, run, input.Reason, input.RequestedBy, input.At);
            var recordName = await steps.RunAsync<string>(RecordStarted, nameof(WriteErasureRecordActivity), record);
            foreach (var step in EntityEraser.Steps)
            {
                removed = removed.Merge(await steps.RunAsync<ErasureTally>(step, nameof(EraseObjectsActivity), new EraseObjectsInput(entity, step)));
            }

            var recorded = ErasureTally.From(ErasureReport.Recorded(inventory.ToReport(), removed.ToReport()));
            await steps.RunAsync<string>(RecordCompleted, nameof(WriteErasureRecordActivity), record with { CompletedAt = context.CurrentUtcDateTime, Removed = recorded });
            steps.Finish(Writes.WriteSteps.Completed);
            LogErased(logger, target.ToString(), recorded.Total, recordName);
            return new EraseEntityResult(recordName, recorded.Versions, recorded.Total, recorded.ShardsRewritten, steps.AttemptsByStep);
        }
        catch (TaskFailedException failure)
        {
            var step = steps.CurrentStep;
            var error = StepFailures.Describe(failure);
            var attempts = steps.Failures(step);
            var state = inventory is null
                ? "nothing was removed"
                : $"{removed.Total} object version(s) removed before the failure; the started erasure record stays; start the erasure again to finish (every step is idempotent)";
            if (inventory is not null)
            {
                await RecordFailureAsync(context, steps, entity, step, error);
            }

            steps.Finish(Writes.WriteSteps.Failed);
            LogFailed(logger, target.ToString(), step, error);
            throw new WriteFailedException(target.ToString(), step, $"Erase of {target} failed at step {step} after {attempts} attempt(s): {error}; {state}.");
        }
    }

    private static async Task RecordFailureAsync(TaskOrchestrationContext context, StepTracker steps, EntityRef entity, string step, string error)
    {
        try
        {
            await context.CallActivityAsync<string>(nameof(RecordOpsEventActivity),
                new OpsEventInput(entity.Env, "erase-failed", DeterministicUlid.Create(context.CurrentUtcDateTime, context.NewGuid()).ToString(),
                    context.CurrentUtcDateTime, context.InstanceId, entity, step, error), steps.Options("ops"));
        }
        catch (TaskFailedException)
        {
            // Best effort: the instance's failure reason says the same.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Erased {Target}: {Versions} object versions, record {Record}")]
    private static partial void LogErased(ILogger logger, string target, int versions, string record);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Erase of {Target} failed at {Step}: {Error}")]
    private static partial void LogFailed(ILogger logger, string target, string step, string error);
}
