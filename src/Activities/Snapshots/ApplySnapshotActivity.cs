using System.Text.Json.Serialization;
using EccoStudio.Activities.Common;
using EccoStudio.Activities.History;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Snapshots;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Snapshots;

/// <summary>Input: the appended change (its history object is the reference), and a conditional write's condition on the snapshot (checked at the swap).</summary>
public sealed record ApplySnapshotInput(EntityRef Entity, PreparedChangeOutput Change, SnapshotPrecondition? Precondition = null);

/// <summary>
/// What the step did, by reference: the generation written (<see cref="Generation"/>: the after-state every later step
/// reads by generation), the generation it replaced (<see cref="BeforeGeneration"/>), whether the snapshot is now this
/// change's (<see cref="Ours"/>: its last-applied key is the change's), and the last-applied key of the before-state (what
/// a compensation restores). <see cref="Before"/> and <see cref="After"/> are the in-process view (compact JSON),
/// never serialized: documents do not travel through the engine (docs/security.md "Personal data and the engine").
/// </summary>
/// <param name="PendingPointers">The snapshot in place lists pointers pending removal: the index step must settle them.</param>
public sealed record SnapshotStepOutput([property: JsonIgnore] string? Before, string? BeforeKey, [property: JsonIgnore] string? After, long Generation, bool Changed,
    bool Ours, int CasAttempts, bool BeforeRecomputed = false, bool PendingPointers = false)
{
    /// <summary>Generation of the before-state: 0 = there was no snapshot; null = not a stored generation (recomputed from history).</summary>
    public long? BeforeGeneration { get; init; }

    /// <summary>The index plan from the before- to the after-state writes nothing (keys and display fields unchanged): the index step has nothing to read.</summary>
    public bool IndexPlanEmpty { get; init; }

    /// <summary>The snapshot object the generations belong to (a reference: later steps read it by <see cref="Generation"/>).</summary>
    public string? SnapshotObject { get; init; }
}

/// <summary>
/// Step 2: fold the change (read from its history object) into the snapshot (CAS loop in <see cref="SnapshotWriter"/>).
/// Idempotent under retry: when an earlier attempt already applied it (the snapshot's <c>ecco-last-applied</c> is this
/// change), nothing is written and the before-state is recomputed from history (the fold of the records before this
/// one), so later steps (indices, compensation) see the same before-state as on the first attempt.
/// </summary>
public sealed class ApplySnapshotActivity(StorageContext storage) : TaskActivity<ApplySnapshotInput, SnapshotStepOutput>
{
    public override async Task<SnapshotStepOutput> RunAsync(TaskActivityContext context, ApplySnapshotInput input)
    {
        var target = input.Entity.ToTarget();
        var record = await RecordAsync(storage, input.Entity, input.Change);
        var result = await new SnapshotWriter(storage).ApplyAsync(target, record, precondition: input.Precondition);
        if (result.Changed)
        {
            return new SnapshotStepOutput(WireJson.Text(result.Before), WireJson.Key(result.BeforeLastApplied), WireJson.Text(result.After)!, result.Generation, true,
                true, result.Attempts, PendingPointers: result.PendingPointers)
            {
                BeforeGeneration = result.BeforeGeneration,
                IndexPlanEmpty = new IndexPlanner(storage.Indices).Plan(target, result.Before, result.After).IsEmpty,
                SnapshotObject = ObjectPaths.Snapshot(target),
            };
        }

        var current = await new EntityReader(storage).GetSnapshotAsync(target);
        if (current?.LastApplied == record.Key)
        {
            // Applied by an earlier attempt of this activity: the before-state is the fold of what precedes this change.
            var history = await new EntityReader(storage).ReadAllHistoryAsync(target);
            var before = HistoryFold.Fold(history.Where(r => r.Change == ChangeKind.Compensation || r.Key < record.Key), migrations: storage.Chain(target.Kind));
            // With concurrent and out-of-order writers that fold may differ from what the snapshot really held before
            // (BeforeRecomputed): the index step then repairs every pointer of the entity instead of trusting it.
            return new SnapshotStepOutput(WireJson.Text(before.Document), WireJson.Key(before.LastApplied), WireJson.Text(current.Document)!, current.Generation, false,
                true, result.Attempts, BeforeRecomputed: true)
            {
                SnapshotObject = ObjectPaths.Snapshot(target),
            };
        }

        // A newer change is already in the snapshot: this one is in history but changes nothing visible. If an earlier
        // attempt of this activity did apply it before the newer change landed, that newer writer moved pointers away
        // from this change's state, not from the one before it: the index step repairs instead of trusting a plan.
        return new SnapshotStepOutput(WireJson.Text(result.Before), WireJson.Key(current?.LastApplied), WireJson.Text(result.After)!, result.Generation, false, false,
            result.Attempts, BeforeRecomputed: true)
        {
            BeforeGeneration = result.BeforeGeneration,
            SnapshotObject = ObjectPaths.Snapshot(target),
        };
    }

    /// <summary>The change as a history record: the in-process body, or else its history object (the reference after the history step).</summary>
    internal static async Task<HistoryRecord> RecordAsync(StorageContext storage, EntityRef entity, PreparedChangeOutput change)
    {
        var key = WireJson.RequireKey(change.Key);
        if (change.Body is { } body)
        {
            return HistoryRecord.FromBody(JsonText.ParseObject(body), key.Ulid);
        }

        var stored = await storage.Store.GetAsync(storage.Bucket(entity.Env), change.ObjectName)
            ?? throw new InvalidOperationException($"History object {change.ObjectName} is missing (history is append-only).");
        return HistoryRecord.FromBody(JsonText.ParseObject(stored.Content.Span), key.Ulid);
    }
}
