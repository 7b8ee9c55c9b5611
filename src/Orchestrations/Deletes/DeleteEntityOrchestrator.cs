using EccoStudio.Activities.Common;
using EccoStudio.Activities.History;
using EccoStudio.Activities.Indices;
using EccoStudio.Activities.Manifests;
using EccoStudio.Activities.Ops;
using EccoStudio.Activities.Snapshots;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Orchestrations.Steps;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.Layout;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Orchestrations.Deletes;

/// <summary>
/// Input of a delete: the target, the acceptance time (the tombstone's updated_at unless the snapshot is stamped
/// later), the <c>If-Match</c> generation if the caller sent one, and who deleted it (object metadata of the tombstone).
/// </summary>
public sealed record DeleteEntityInput(string Env, string Entity, string Id, DateTimeOffset At, long? IfMatchGeneration = null, string? DeletedBy = null);

/// <summary>What a completed delete did: its tombstone, whether snapshot and manifest entry went, pointer writes, attempts per step.</summary>
public sealed record DeleteEntityResult(
    string Tombstone,
    bool TombstoneCreated,
    bool SnapshotRemoved,
    bool ManifestEntryRemoved,
    int IndexWrites,
    IReadOnlyDictionary<string, int> Attempts,
    string? DeletedBy);

/// <summary>
/// A delete as a saga of the write path's idempotent activities (docs/api.md, "Delete"): validate (the entity has a
/// snapshot, at the If-Match generation) → append a tombstone to history (<c>"_change":"delete"</c>; history stays
/// append-only, so history and <c>?asOf=</c> before the delete still show the entity) → settle the snapshot from
/// history (the fold now ends in the tombstone: the snapshot is removed) → settle the manifest entry and the index
/// pointers against the (absent) snapshot (removed). Every settle step computes its target from what is stored, CAS
/// only, so retries and replays converge. When a settle step fails for good: a compensation record cancelling the
/// tombstone is appended and the same settle steps run again, which bring snapshot, entry and pointers back from
/// history; the orchestration then ends Failed saying so.
/// </summary>
public sealed partial class DeleteEntityOrchestrator(WritePathOptions options) : TaskOrchestrator<DeleteEntityInput, DeleteEntityResult>
{
    public const string Validate = "validate";
    public const string Tombstone = "tombstone";

    public override async Task<DeleteEntityResult> RunAsync(TaskOrchestrationContext context, DeleteEntityInput input)
    {
        var logger = context.CreateReplaySafeLogger<DeleteEntityOrchestrator>();
        var target = EntityTarget.Of(input.Env, input.Entity, input.Id);
        var entity = EntityRef.From(target);
        var ulid = DeterministicUlid.Create(context.CurrentUtcDateTime, context.NewGuid());
        var steps = new StepTracker(context, options.Retry, null, "delete");

        steps.Begin(Validate);
        var prepared = await WriteEntityOrchestrator.RunAsync<PreparedChangeOutput>(context, steps, target, Validate, nameof(PrepareDeleteActivity),
            new PrepareDeleteInput(entity, ulid.ToString(), input.At, input.IfMatchGeneration), "nothing was written");

        steps.Begin(Tombstone);
        var appended = await WriteEntityOrchestrator.RunAsync<AppendHistoryOutput>(context, steps, target, Tombstone, nameof(AppendHistoryActivity),
            new AppendHistoryInput(entity, prepared, input.DeletedBy), "the tombstone was not written");

        try
        {
            var settled = await SettleAsync(context, steps, entity);
            steps.Finish(WriteSteps.Completed);
            return new DeleteEntityResult(appended.ObjectName, appended.Created, settled.SnapshotRemoved, settled.EntryChanged, settled.IndexWrites,
                steps.AttemptsByStep, input.DeletedBy);
        }
        catch (TaskFailedException failure)
        {
            var failedStep = steps.CurrentStep;
            var error = StepFailures.Describe(failure);
            var attempts = steps.Failures(failedStep);
            var undone = await CompensateAsync(context, steps, entity, prepared, $"{failedStep} failed after {attempts} attempt(s): {error}");
            LogCompensated(logger, target.ToString(), failedStep, error);
            steps.Finish(WriteSteps.Failed);
            throw new WriteFailedException(target.ToString(), failedStep,
                $"Delete of {target} failed at step {failedStep} after {attempts} attempt(s): {error}. Compensated: {undone}.");
        }
    }

    /// <summary>Snapshot, manifest entry and pointers made to match what history folds to (after a tombstone: none).</summary>
    private static async Task<(bool SnapshotRemoved, bool EntryChanged, int IndexWrites)> SettleAsync(TaskOrchestrationContext context, StepTracker steps, EntityRef entity)
    {
        steps.Begin(WriteSteps.Snapshot);
        var rebuilt = await context.CallActivityAsync<RebuildSnapshotOutput>(nameof(RebuildSnapshotActivity), new RebuildSnapshotInput(entity),
            steps.Options(WriteSteps.Snapshot));
        steps.Complete(WriteSteps.Snapshot);

        steps.Begin(WriteSteps.Manifest);
        var entry = await context.CallActivityAsync<bool>(nameof(UpsertManifestEntryActivity), new UpsertManifestEntryInput(entity, null, MatchCurrentSnapshot: true),
            steps.Options(WriteSteps.Manifest));
        steps.Complete(WriteSteps.Manifest);

        steps.Begin(WriteSteps.Indices);
        var pointers = await context.CallActivityAsync<int>(nameof(RepairIndicesActivity), new RepairIndicesInput(entity), steps.Options(WriteSteps.Indices));
        steps.Complete(WriteSteps.Indices);
        return (!rebuilt.Exists, entry, pointers);
    }

    private static async Task<string> CompensateAsync(TaskOrchestrationContext context, StepTracker steps, EntityRef entity, PreparedChangeOutput tombstone, string reason)
    {
        steps.Begin(WriteSteps.Compensate);
        try
        {
            steps.Compensating("history");
            var record = await context.CallActivityAsync<AppendCompensationOutput>(nameof(AppendCompensationActivity),
                new AppendCompensationInput(entity, tombstone.Key, DeterministicUlid.Create(context.CurrentUtcDateTime, context.NewGuid()).ToString(),
                    context.CurrentUtcDateTime, reason, null) { EnvelopeHistoryObject = tombstone.ObjectName },
                steps.Options(WriteSteps.Compensate));
            steps.Compensating("settle");
            var settled = await SettleAsync(context, steps, entity);
            var undone = $"compensation record {record.ObjectName}, snapshot {(settled.SnapshotRemoved ? "absent" : "rebuilt")}, " +
                $"manifest entry {(settled.EntryChanged ? "restored" : "unchanged")}, {settled.IndexWrites} pointer write(s)";
            steps.Compensating("done: " + undone);
            return undone;
        }
        catch (TaskFailedException compensationFailure)
        {
            var failure = StepFailures.Describe(compensationFailure);
            steps.Compensating("failed: " + failure);
            try
            {
                await context.CallActivityAsync<string>(nameof(RecordOpsEventActivity),
                    new OpsEventInput(entity.Env, "compensation-failed", DeterministicUlid.Create(context.CurrentUtcDateTime, context.NewGuid()).ToString(),
                        context.CurrentUtcDateTime, context.InstanceId, entity, WriteSteps.Compensate, failure, tombstone.ObjectName), steps.Options("ops"));
            }
            catch (TaskFailedException)
            {
                // The ops record is best effort; the failure reason below says what to do.
            }

            return $"PARTIAL (compensation failed: {failure}; reconcile the entity)";
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delete of {Target} failed at {Step} and was compensated: {Error}")]
    private static partial void LogCompensated(ILogger logger, string target, string step, string error);
}
