using System.Text.Json.Serialization;
using EccoStudio.Activities.Alerts;
using EccoStudio.Activities.Common;
using EccoStudio.Activities.History;
using EccoStudio.Activities.Indices;
using EccoStudio.Activities.Manifests;
using EccoStudio.Activities.Ops;
using EccoStudio.Activities.Rules;
using EccoStudio.Activities.Snapshots;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Orchestrations.Reconcile;
using EccoStudio.Orchestrations.Steps;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Snapshots;
using EccoStudio.Storage.Staging;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Orchestrations.Writes;

/// <summary>
/// Input of a write: target (env, entity envelope name, id), the change by reference (<see cref="Staged"/>: the full
/// document or RFC 7396 merge patch staged under <c>tmp/writes/</c> by <see cref="WriteStaging"/>, and its
/// <see cref="UpdatedAt"/>), who wrote it (kept in the result and the logs; the stored bytes stay exactly the
/// document), and a conditional write's condition on the snapshot (If-Match / If-None-Match), enforced again at the
/// snapshot swap. The engine never carries the document itself (claim check, docs/security.md "Personal data and the
/// engine"): <see cref="Document"/> is what a caller hands to <see cref="WriteStaging"/> and is never serialized.
/// </summary>
public sealed record WriteEntityInput(string Env, string Entity, string Id, [property: JsonIgnore] string? Document, ChangeKind Change = ChangeKind.Full,
    string? WrittenBy = null, SnapshotPrecondition? Precondition = null)
{
    /// <summary>The staged change (set by <see cref="WriteStaging"/>).</summary>
    public StagedDocument? Staged { get; init; }

    /// <summary>The change's <c>updated_at</c> as written in it: with the ULID it names the history object before any activity runs.</summary>
    public string? UpdatedAt { get; init; }

    /// <summary>
    /// The starter already validated exactly the staged bytes, as the validate step would (the API's PUT handler:
    /// a full document, same validator, staged bytes = the bytes validation returns, same updated_at): the write skips
    /// its validate step. The history step still reads the staged change by generation and checks its SHA-256, so
    /// history gets exactly the validated bytes (docs/reliability.md "Claim check"). Merge patches are never marked:
    /// their result depends on the snapshot at the time they run.
    /// </summary>
    public bool Validated { get; init; }
}

/// <summary>What a completed write did: its history object, per-step attempts, alerts, and ops records for non-fatal failures.</summary>
public sealed record WriteEntityResult(
    string HistoryObject,
    bool HistoryCreated,
    bool SnapshotChanged,
    int IndexWrites,
    IReadOnlyDictionary<string, int> Attempts,
    IReadOnlyList<DeliverAlertOutput> Alerts,
    IReadOnlyList<string> OpsRecords,
    string? WrittenBy);

/// <summary>
/// One write as a saga of idempotent activities, in the spec's order (§5): validate → history → snapshot → manifest
/// entry → index pointers → rules/alerts. Before any activity runs, the history key (updated_at + a ULID derived from
/// <c>CurrentUtcDateTime</c> and <c>NewGuid()</c>) and so the history object name are fixed: every retry and replay
/// targets the same objects. No document crosses the engine (docs/reliability.md "Claim check"): validation and the
/// history step read the staged change, the snapshot step reads the history object, and every later step reads the
/// snapshot at the generation the snapshot step wrote. The staged copy is discarded by the rules step (the last step
/// of a committed write) or with the compensation record; a write that failed before its history landed keeps it (a
/// restart re-runs the same input) until the <c>tmp/</c> lifecycle clears it. Each step is one
/// <see cref="StepTracker.RunAsync{T}"/> (only transient failures retried, bounded, exponential backoff); the custom
/// status shows step, attempt and last error.
/// Compensation (<see cref="Compensations"/>), when snapshot, manifest or indices fail for good after history was
/// written: first a compensation record (history stays append-only; every fold now skips the change), then the undos
/// in reverse; the snapshot's undo restores the snapshot if it is still this write's (else rebuilds it from history)
/// and brings the manifest entry and pointers to it; then the write ends Failed with the reason. Rules and alert failures never roll back a committed write: they are retried, then recorded for ops
/// under <c>env/{env}/logs/ops/</c> and the write completes.
/// </summary>
public sealed partial class WriteEntityOrchestrator(WritePathOptions options) : TaskOrchestrator<WriteEntityInput, WriteEntityResult>
{
    public override async Task<WriteEntityResult> RunAsync(TaskOrchestrationContext context, WriteEntityInput input)
    {
        var logger = context.CreateReplaySafeLogger<WriteEntityOrchestrator>();
        var target = EntityTarget.Of(input.Env, input.Entity, input.Id);
        var entity = EntityRef.From(target);
        var ulid = DeterministicUlid.Create(context.CurrentUtcDateTime, context.NewGuid());
        if (input.Staged is not { } staged)
        {
            throw new WriteFailedException(target.ToString(), WriteSteps.Validate,
                $"Write of {target} rejected at step {WriteSteps.Validate}: the change was not staged (writes start through the API, or WriteStaging); nothing was written.");
        }

        if (!Rfc3339.TryParseUtc(input.UpdatedAt, out var updatedAt))
        {
            throw new WriteFailedException(target.ToString(), WriteSteps.Validate,
                $"Write of {target} rejected at step {WriteSteps.Validate}: the document has no valid updated_at; nothing was written.");
        }

        var historyObject = ObjectPaths.History(target, new HistoryKey(updatedAt, ulid));
        var steps = new StepTracker(context, options.Retry, historyObject);
        steps.Tag(target.Env, input.Entity, target.Id);

        // Before history lands there is nothing to undo: a failure ends the write.
        PreparedChangeOutput prepared;
        AppendHistoryOutput appended;
        try
        {
            prepared = input.Validated && input.Change == ChangeKind.Full
                ? new PreparedChangeOutput(historyObject, null, new HistoryKey(updatedAt, ulid).ToString(), input.Change) { Staged = staged }
                : await steps.RunAsync<PreparedChangeOutput>(WriteSteps.Validate, nameof(ValidateChangeActivity),
                    new ValidateChangeInput(entity, null, input.Change, ulid.ToString()) { Staged = staged });
            if (prepared.ObjectName != historyObject)
            {
                throw new WriteFailedException(target.ToString(), WriteSteps.Validate,
                    $"Write of {target}: validation named {prepared.ObjectName}, expected {historyObject}; nothing was written.");
            }

            appended = await steps.RunAsync<AppendHistoryOutput>(WriteSteps.History, nameof(AppendHistoryActivity),
                new AppendHistoryInput(entity, prepared, input.WrittenBy));
        }
        catch (TaskFailedException failure) when (steps.CurrentStep == WriteSteps.Validate)
        {
            throw steps.Fail(target.ToString(), $"Write of {target}", failure, "nothing was written");
        }
        catch (TaskFailedException failure)
        {
            var failed = steps.Fail(target.ToString(), $"Write of {target}", failure, "the history object was not written");
            // An attempt may have written the object and lost the answer: a reconcile folds it in if it is there.
            await ReconcileAsync(context, entity, "history");
            throw failed;
        }

        // From here a failure for good unwinds: the compensation record first, then the undos in reverse.
        SnapshotStepOutput? snapshot = null;
        var saga = new Compensations(steps, WriteSteps.Compensate);
        saga.StartWith(u => AppendCompensationRecordAsync(context, steps, u, entity, prepared, staged, snapshot));
        // Registered before the step: an attempt may have swapped the snapshot and lost the answer. Its undo also
        // brings the manifest entry and pointers to the restored snapshot, so those steps register nothing of their own.
        saga.Push(u => UndoSnapshotAsync(steps, u, entity, prepared, snapshot));
        Task<int> indices;
        Task<IReadOnlyList<AlertMessage>> rules;
        try
        {
            snapshot = await steps.RunAsync<SnapshotStepOutput>(WriteSteps.Snapshot, nameof(ApplySnapshotActivity),
                new ApplySnapshotInput(entity, prepared, input.Precondition));

            // Fan-out: manifest entry, pointers and rules depend only on the snapshot generation just written, so they
            // run side by side (one engine round trip instead of three; src/Orchestrations/README.md "Work items").
            var manifest = steps.StartAsync<bool>(WriteSteps.Manifest, nameof(UpsertManifestEntryActivity),
                new UpsertManifestEntryInput(entity, null, SnapshotGeneration: snapshot.Generation));
            indices = steps.StartAsync<int>(WriteSteps.Indices, nameof(SyncIndicesActivity),
                new SyncIndicesInput(entity, null, null, snapshot.Generation, RepairAfter: snapshot.BeforeRecomputed || snapshot.PendingPointers)
                {
                    BeforeGeneration = snapshot.BeforeGeneration,
                    PlanEmpty = snapshot.IndexPlanEmpty,
                });
            rules = steps.StartAsync<IReadOnlyList<AlertMessage>>(WriteSteps.Rules, nameof(EvaluateRulesActivity),
                new EvaluateRulesInput(entity, null) { SnapshotGeneration = snapshot.Generation, Owner = context.InstanceId, DiscardStaged = staged });
            await StepTracker.AllSettledAsync(manifest, indices, rules);
            if (rules.IsCompletedSuccessfully && rules.Result.Count > 0)
            {
                var fired = rules.Result;
                saga.Push(u => DiscardAlertsAsync(steps, u, target.Env, fired));
            }

            steps.ThrowFirstFailure(manifest, indices);
        }
        catch (TaskFailedException failure)
        {
            var failedStep = steps.CurrentStep;
            var error = StepFailures.Describe(failure);
            var attempts = steps.Failures(failedStep);
            var undone = await saga.UnwindAsync($"{failedStep} failed after {attempts} attempt(s): {error}", async (undoFailure, soFar) =>
            {
                await RecordOpsAsync(context, steps, "compensation-failed", entity, failedStep, undoFailure,
                    $"{prepared.ObjectName}; done so far: {string.Join(", ", soFar)}");
                var reconciled = await ReconcileAsync(context, entity, "compensation");
                return $"PARTIAL ({string.Join(", ", soFar)}; compensation failed: {undoFailure}; {reconciled})";
            });
            LogCompensated(logger, target.ToString(), failedStep, error);
            steps.Finish(WriteSteps.Failed);
            throw new WriteFailedException(target.ToString(), failedStep,
                $"Write of {target} failed at step {failedStep} after {attempts} attempt(s): {error}. Compensated: {undone}.");
        }

        // Committed: rules and alerts never roll back; a failure for good is recorded for ops and the write completes.
        var opsRecords = new List<string>();
        IReadOnlyList<AlertMessage> alertsFired = [];
        if (rules.Exception?.InnerException is TaskFailedException rulesFailure)
        {
            opsRecords.Add(await RecordOpsAsync(context, steps, "rules-failed", entity, WriteSteps.Rules, StepFailures.Describe(rulesFailure), historyObject));
        }
        else
        {
            alertsFired = rules.Result;
        }

        IReadOnlyList<DeliverAlertOutput> alerts = [];
        if (alertsFired.Count > 0)
        {
            alerts = await steps.RunEachAsync<AlertMessage, DeliverAlertOutput>(WriteSteps.Alerts, nameof(DeliverAlertActivity), alertsFired,
                alert => new DeliverAlertInput(target.Env, alert, context.InstanceId, context.CurrentUtcDateTime),
                async (alert, failure) => opsRecords.Add(await RecordOpsAsync(context, steps, "alert-failed", entity, WriteSteps.Alerts,
                    StepFailures.Describe(failure), $"{alert.RuleId} {alert.DedupeKey} webhook {alert.Webhook}")));
        }

        steps.Finish(WriteSteps.Completed);
        return new WriteEntityResult(appended.ObjectName, appended.Created, snapshot.Changed, indices.Result, steps.AttemptsByStep, alerts, opsRecords,
            input.WrittenBy);
    }

    /// <summary>
    /// The first action of every unwind: append a compensation record (history stays append-only; every fold now
    /// skips the failed change). Its envelope comes from the failed change's resulting snapshot, else its history
    /// object when that is a full document, else the current snapshot; all by reference. It also discards the staged change.
    /// </summary>
    private static async Task AppendCompensationRecordAsync(TaskOrchestrationContext context, StepTracker steps, Unwinding unwinding, EntityRef entity,
        PreparedChangeOutput prepared, StagedDocument staged, SnapshotStepOutput? snapshot)
    {
        var compensationUlid = DeterministicUlid.Create(context.CurrentUtcDateTime, context.NewGuid());
        var record = await steps.UndoAsync<AppendCompensationOutput>(unwinding.Step, "history", nameof(AppendCompensationActivity),
            new AppendCompensationInput(entity, prepared.Key, compensationUlid.ToString(), context.CurrentUtcDateTime, unwinding.Reason, null)
            {
                EnvelopeSnapshotGeneration = snapshot?.Generation ?? 0,
                EnvelopeHistoryObject = prepared.Change == ChangeKind.Full ? prepared.ObjectName : null,
                DiscardStaged = staged,
            });
        unwinding.Did($"compensation record {record.ObjectName}");
    }

    /// <summary>
    /// Undo of the snapshot step (<paramref name="snapshot"/> null: the step failed): put the prior snapshot back if it
    /// is still this write's, else rebuild it from history; then the manifest entry and the pointers follow the
    /// restored snapshot whatever step failed: a concurrent writer may have derived them from a state that included
    /// this change, and the snapshot move itself left pending pointers (both steps converge to the stored snapshot and
    /// write nothing when it is already right; docs/reliability.md "The write protocol").
    /// </summary>
    private static async Task UndoSnapshotAsync(StepTracker steps, Unwinding unwinding, EntityRef entity, PreparedChangeOutput prepared, SnapshotStepOutput? snapshot)
    {
        var restored = await steps.UndoAsync<RestoreSnapshotOutput>(unwinding.Step, "snapshot", nameof(RestoreSnapshotActivity),
            new RestoreSnapshotInput(entity, prepared.Key, snapshot is not null, null, snapshot?.BeforeKey) { PriorGeneration = snapshot?.BeforeGeneration });
        unwinding.Did($"snapshot {restored.Action.ToString().ToLowerInvariant()}");
        // Entry and pointers follow the restored snapshot whatever the restore reports: a retried restore whose first
        // attempt moved the snapshot (its answer lost) finds it right and reports nothing done (write-protocol
        // simulation, seed 66 of the mixed-version generator); both steps write nothing when all is already right.

        var entryRestored = await steps.UndoAsync<bool>(unwinding.Step, "manifest", nameof(RestoreManifestEntryActivity), new RestoreManifestEntryInput(entity, null, null));
        unwinding.Did(entryRestored ? "manifest entry restored" : "manifest entry unchanged");

        var moved = await steps.UndoAsync<int>(unwinding.Step, "indices", nameof(SyncIndicesActivity),
            new SyncIndicesInput(entity, null, null, restored.Exists ? restored.Generation : 0, RepairAfter: true)
            {
                BeforeGeneration = snapshot?.Generation ?? 0,
            });
        unwinding.Did($"{moved} pointer write(s) undone");
    }

    /// <summary>Undo of a rules step that fired alerts for a write being compensated: they are never delivered; their staged bodies go.</summary>
    private static async Task DiscardAlertsAsync(StepTracker steps, Unwinding unwinding, string env, IReadOnlyList<AlertMessage> fired)
    {
        var discarded = await steps.UndoAsync<int>(unwinding.Step, "rules", nameof(DiscardAlertsActivity),
            new DiscardAlertsInput(env, [.. fired.Select(a => a.StagedPayload).OfType<StagedDocument>()]));
        unwinding.Did($"{discarded} alert(s) not delivered");
    }

    /// <summary>
    /// Backstop for a write that ended without knowing what it left behind (history step failed for good, or
    /// compensation failed): a reconcile of the entity (CAS-only; a no-op when all is current) as a sub-orchestration
    /// with an id derived from this instance, so a replay never starts a second one.
    /// </summary>
    private static async Task<string> ReconcileAsync(TaskOrchestrationContext context, EntityRef entity, string why)
    {
        var instanceId = InstanceIds.Reconcile(entity.Env, entity.Entity, entity.Id, $"{why}-{context.InstanceId}");
        try
        {
            await context.CallSubOrchestratorAsync<ReconcileEntityResult>(nameof(ReconcileEntityOrchestrator),
                new ReconcileEntityInput(entity.Env, entity.Entity, entity.Id, why), new SubOrchestrationOptions { InstanceId = instanceId });
            return $"reconciled by {instanceId}";
        }
        catch (TaskFailedException)
        {
            return $"reconcile {instanceId} failed: run verify --repair";
        }
    }

    private static async Task<string> RecordOpsAsync(TaskOrchestrationContext context, StepTracker steps, string kind, EntityRef entity, string step, string error, string? detail)
    {
        var input = new OpsEventInput(entity.Env, kind, DeterministicUlid.Create(context.CurrentUtcDateTime, context.NewGuid()).ToString(),
            context.CurrentUtcDateTime, context.InstanceId, entity, step, error, detail);
        try
        {
            return await context.CallActivityAsync<string>(nameof(RecordOpsEventActivity), input, steps.Options("ops"));
        }
        catch (TaskFailedException)
        {
            return "(ops record not written)";
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Write of {Target} failed at {Step} and was compensated: {Error}")]
    private static partial void LogCompensated(ILogger logger, string target, string step, string error);
}
