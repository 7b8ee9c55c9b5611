using EccoStudio.Activities.Common;
using EccoStudio.Activities.History;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Snapshots;

/// <summary>Input: the appended change, and a conditional write's condition on the snapshot (checked at the swap).</summary>
public sealed record ApplySnapshotInput(EntityRef Entity, PreparedChangeOutput Change, SnapshotPrecondition? Precondition = null);

/// <summary>
/// The snapshot before and after this change (compact JSON), the generation written, whether the snapshot is now
/// this change's (<see cref="Ours"/>: its last-applied key is the change's), and the last-applied key of
/// <see cref="Before"/> (what a compensation restores).
/// </summary>
/// <param name="PendingPointers">The snapshot in place lists pointers pending removal: the index step must settle them.</param>
public sealed record SnapshotStepOutput(string? Before, string? BeforeKey, string After, long Generation, bool Changed, bool Ours, int CasAttempts,
    bool BeforeRecomputed = false, bool PendingPointers = false);

/// <summary>
/// Step 2: fold the change into the snapshot (CAS loop in <see cref="SnapshotWriter"/>). Idempotent under retry: when
/// an earlier attempt already applied it (the snapshot's <c>ecco-last-applied</c> is this change), nothing is written
/// and <see cref="SnapshotStepOutput.Before"/> is recomputed from history (the fold of the records before this one),
/// so later steps (indices, compensation) see the same before-state as on the first attempt.
/// </summary>
public sealed class ApplySnapshotActivity(StorageContext storage) : TaskActivity<ApplySnapshotInput, SnapshotStepOutput>
{
    public override async Task<SnapshotStepOutput> RunAsync(TaskActivityContext context, ApplySnapshotInput input)
    {
        var target = input.Entity.ToTarget();
        var record = AppendHistoryActivity.ToRecord(input.Change);
        var result = await new SnapshotWriter(storage).ApplyAsync(target, record, precondition: input.Precondition);
        if (result.Changed)
        {
            return new SnapshotStepOutput(WireJson.Text(result.Before), WireJson.Key(result.BeforeLastApplied), WireJson.Text(result.After)!, result.Generation, true,
                true, result.Attempts, PendingPointers: result.PendingPointers);
        }

        var current = await new EntityReader(storage).GetSnapshotAsync(target);
        if (current?.LastApplied == record.Key)
        {
            // Applied by an earlier attempt of this activity: the before-state is the fold of what precedes this change.
            var history = await new EntityReader(storage).ReadAllHistoryAsync(target);
            var before = HistoryFold.Fold(history.Where(r => r.Change == ChangeKind.Compensation || r.Key < record.Key));
            // With concurrent and out-of-order writers that fold may differ from what the snapshot really held before
            // (BeforeRecomputed): the index step then repairs every pointer of the entity instead of trusting it.
            return new SnapshotStepOutput(WireJson.Text(before.Document), WireJson.Key(before.LastApplied), WireJson.Text(current.Document)!, current.Generation, false,
                true, result.Attempts, BeforeRecomputed: true);
        }

        // A newer change is already in the snapshot: this one is in history but changes nothing visible. If an earlier
        // attempt of this activity did apply it before the newer change landed, that newer writer moved pointers away
        // from this change's state, not from the one before it: the index step repairs instead of trusting a plan.
        return new SnapshotStepOutput(WireJson.Text(result.Before), WireJson.Key(current?.LastApplied), WireJson.Text(result.After)!, result.Generation, false, false,
            result.Attempts, BeforeRecomputed: true);
    }
}
