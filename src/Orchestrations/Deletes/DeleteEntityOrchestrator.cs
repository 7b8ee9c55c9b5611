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

        // Before the tombstone lands there is nothing to undo: a failure ends the delete.
        PreparedChangeOutput prepared;
        AppendHistoryOutput appended;
        try
        {
            prepared = await steps.RunAsync<PreparedChangeOutput>(Validate, nameof(PrepareDeleteActivity),
                new PrepareDeleteInput(entity, ulid.ToString(), input.At, input.IfMatchGeneration));
            appended = await steps.RunAsync<AppendHistoryOutput>(Tombstone, nameof(AppendHistoryActivity), new AppendHistoryInput(entity, prepared, input.DeletedBy));
        }
        catch (TaskFailedException failure)
        {
            throw steps.Fail(target.ToString(), $"Write of {target}", failure,
                steps.CurrentStep == Validate ? "nothing was written" : "the tombstone was not written");
        }

        // From here a failure for good unwinds: the compensation record cancelling the tombstone first, then the
        // settle steps again, which bring snapshot, entry and pointers back from history.
        var saga = new Compensations(steps, WriteSteps.Compensate);
        saga.StartWith(u => AppendCompensationRecordAsync(context, steps, u, entity, prepared));
        saga.Push(async u =>
        {
            steps.Compensating("settle");
            var settled = await SettleAsync(steps, entity);
            u.Did($"snapshot {(settled.SnapshotRemoved ? "absent" : "rebuilt")}");
            u.Did($"manifest entry {(settled.EntryChanged ? "restored" : "unchanged")}");
            u.Did($"{settled.IndexWrites} pointer write(s)");
        });
        try
        {
            var settled = await SettleAsync(steps, entity);
            steps.Finish(WriteSteps.Completed);
            return new DeleteEntityResult(appended.ObjectName, appended.Created, settled.SnapshotRemoved, settled.EntryChanged, settled.IndexWrites,
                steps.AttemptsByStep, input.DeletedBy);
        }
        catch (TaskFailedException failure)
        {
            var failedStep = steps.CurrentStep;
            var error = StepFailures.Describe(failure);
            var attempts = steps.Failures(failedStep);
            var undone = await saga.UnwindAsync($"{failedStep} failed after {attempts} attempt(s): {error}", async (undoFailure, _) =>
            {
                await RecordCompensationFailedAsync(context, steps, entity, prepared, undoFailure);
                return $"PARTIAL (compensation failed: {undoFailure}; reconcile the entity)";
            });
            LogCompensated(logger, target.ToString(), failedStep, error);
            steps.Finish(WriteSteps.Failed);
            throw new WriteFailedException(target.ToString(), failedStep,
                $"Delete of {target} failed at step {failedStep} after {attempts} attempt(s): {error}. Compensated: {undone}.");
        }
    }

    /// <summary>Snapshot, manifest entry and pointers made to match what history folds to (after a tombstone: none).</summary>
    private static async Task<(bool SnapshotRemoved, bool EntryChanged, int IndexWrites)> SettleAsync(StepTracker steps, EntityRef entity)
    {
        var rebuilt = await steps.RunAsync<RebuildSnapshotOutput>(WriteSteps.Snapshot, nameof(RebuildSnapshotActivity), new RebuildSnapshotInput(entity));
        var entry = await steps.RunAsync<bool>(WriteSteps.Manifest, nameof(UpsertManifestEntryActivity), new UpsertManifestEntryInput(entity, null, MatchCurrentSnapshot: true));
        var pointers = await steps.RunAsync<int>(WriteSteps.Indices, nameof(RepairIndicesActivity), new RepairIndicesInput(entity));
        return (!rebuilt.Exists, entry, pointers);
    }

    /// <summary>The first action of every unwind: a compensation record cancelling the tombstone (history stays append-only).</summary>
    private static async Task AppendCompensationRecordAsync(TaskOrchestrationContext context, StepTracker steps, Unwinding unwinding, EntityRef entity,
        PreparedChangeOutput tombstone)
    {
        var record = await steps.UndoAsync<AppendCompensationOutput>(unwinding.Step, "history", nameof(AppendCompensationActivity),
            new AppendCompensationInput(entity, tombstone.Key, DeterministicUlid.Create(context.CurrentUtcDateTime, context.NewGuid()).ToString(),
                context.CurrentUtcDateTime, unwinding.Reason, null) { EnvelopeHistoryObject = tombstone.ObjectName });
        unwinding.Did($"compensation record {record.ObjectName}");
    }

    private static async Task RecordCompensationFailedAsync(TaskOrchestrationContext context, StepTracker steps, EntityRef entity, PreparedChangeOutput tombstone,
        string failure)
    {
        try
        {
            await context.CallActivityAsync<string>(nameof(RecordOpsEventActivity),
                new OpsEventInput(entity.Env, "compensation-failed", DeterministicUlid.Create(context.CurrentUtcDateTime, context.NewGuid()).ToString(),
                    context.CurrentUtcDateTime, context.InstanceId, entity, WriteSteps.Compensate, failure, tombstone.ObjectName), steps.Options("ops"));
        }
        catch (TaskFailedException)
        {
            // The ops record is best effort; the failure reason says what to do.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delete of {Target} failed at {Step} and was compensated: {Error}")]
    private static partial void LogCompensated(ILogger logger, string target, string step, string error);
}
