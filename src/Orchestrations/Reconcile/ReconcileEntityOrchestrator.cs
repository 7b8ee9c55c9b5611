using EccoStudio.Activities.Alerts;
using EccoStudio.Activities.Common;
using EccoStudio.Activities.Indices;
using EccoStudio.Activities.Manifests;
using EccoStudio.Activities.Ops;
using EccoStudio.Activities.Rules;
using EccoStudio.Activities.Snapshots;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Orchestrations.Steps;
using EccoStudio.Storage.Layout;
using Microsoft.DurableTask;

namespace EccoStudio.Orchestrations.Reconcile;

/// <summary>Input: the entity, and what triggered the reconcile (a history object name, a message id, or null = manual).</summary>
public sealed record ReconcileEntityInput(string Env, string Entity, string Id, string? Trigger = null);

/// <summary>What the reconcile changed (all false/0 when the entity was already current).</summary>
public sealed record ReconcileEntityResult(bool HasHistory, bool SnapshotChanged, bool ManifestWritten, int IndexWrites, IReadOnlyList<DeliverAlertOutput> Alerts);

/// <summary>
/// Rebuilds one entity's snapshot from its history (ordered by updated_at then ULID, compensated records skipped),
/// then its manifest entry and index pointers (full repair), then rules when the snapshot changed. A no-op (no
/// object written) when everything is already current.
/// <para>Concurrency scheme: CAS only. Every write of every step is conditional on the generation read (snapshot
/// rebuild, manifest entry, pointers), and every step computes its target state from what is stored, so concurrent
/// reconciles of one entity (and concurrent writes) converge instead of fighting: the loser of a CAS re-reads and
/// recomputes the same fold. Starts are deduplicated per trigger with <see cref="InstanceIds.Reconcile"/>
/// (<c>reconcile:{env}:{entity}:{id}:{trigger}</c>): a replayed Pub/Sub message for the same history object starts at
/// most one reconcile; different triggers may run side by side safely.</para>
/// </summary>
public sealed class ReconcileEntityOrchestrator(WritePathOptions options) : TaskOrchestrator<ReconcileEntityInput, ReconcileEntityResult>
{
    public override async Task<ReconcileEntityResult> RunAsync(TaskOrchestrationContext context, ReconcileEntityInput input)
    {
        var target = EntityTarget.Of(input.Env, input.Entity, input.Id);
        var entity = EntityRef.From(target);
        var steps = new StepTracker(context, options.Retry, null, "reconcile");
        steps.Tag(target.Env, input.Entity, target.Id);

        steps.Begin("rebuild");
        var rebuilt = await context.CallActivityAsync<RebuildSnapshotOutput>(nameof(RebuildSnapshotActivity), new RebuildSnapshotInput(entity), steps.Options("rebuild"));
        steps.Complete("rebuild");
        // When history folds to nothing (a tombstone last, or no live record) the rebuild removed the snapshot; the
        // manifest entry and pointers are then settled against its absence (removed) like any other state.
        steps.Begin("manifest");
        var manifest = await context.CallActivityAsync<bool>(nameof(UpsertManifestEntryActivity), new UpsertManifestEntryInput(entity, null, MatchCurrentSnapshot: true),
            steps.Options("manifest"));
        steps.Complete("manifest");

        steps.Begin("indices");
        var indexWrites = await context.CallActivityAsync<int>(nameof(RepairIndicesActivity), new RepairIndicesInput(entity), steps.Options("indices"));
        steps.Complete("indices");

        var alerts = new List<DeliverAlertOutput>();
        if (rebuilt.Changed && rebuilt.Exists)
        {
            steps.Begin("rules");
            try
            {
                var fired = await context.CallActivityAsync<IReadOnlyList<AlertMessage>>(nameof(EvaluateRulesActivity),
                    new EvaluateRulesInput(entity, null) { SnapshotGeneration = rebuilt.Generation, Owner = context.InstanceId }, steps.Options("rules"));
                foreach (var alert in fired)
                {
                    alerts.Add(await context.CallActivityAsync<DeliverAlertOutput>(nameof(DeliverAlertActivity),
                        new DeliverAlertInput(target.Env, alert, context.InstanceId, context.CurrentUtcDateTime), steps.Options("alerts")));
                }

                steps.Complete("rules");
            }
            catch (TaskFailedException failure)
            {
                await context.CallActivityAsync<string>(nameof(RecordOpsEventActivity),
                    new OpsEventInput(target.Env, "rules-failed", DeterministicUlid.Create(context.CurrentUtcDateTime, context.NewGuid()).ToString(),
                        context.CurrentUtcDateTime, context.InstanceId, entity, "rules", StepFailures.Describe(failure)), steps.Options("ops"));
            }
        }

        steps.Finish("completed");
        return new ReconcileEntityResult(rebuilt.Exists, rebuilt.Changed, manifest, indexWrites, alerts);
    }
}
