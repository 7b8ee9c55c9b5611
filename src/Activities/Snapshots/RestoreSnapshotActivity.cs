using EccoStudio.Activities.Common;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Snapshots;

/// <summary>
/// Input: the failed change's key, and the snapshot it replaced when known (<see cref="PriorKnown"/>; unknown when the
/// snapshot step itself failed: then the prior state is the fold of history, which by now skips the failed change).
/// </summary>
public sealed record RestoreSnapshotInput(EntityRef Entity, string FailedKey, bool PriorKnown, string? Prior, string? PriorKey);

/// <summary>The snapshot now in place (null when absent), its generation, and what was done.</summary>
public sealed record RestoreSnapshotOutput(string? Snapshot, long Generation, SnapshotRestoreAction Action);

/// <summary>
/// Compensation: put back the snapshot the failed write replaced, only while it is still that write's (see
/// <see cref="SnapshotRestorer"/>); otherwise rebuild from history. Runs after the compensation record is appended.
/// Idempotent: a second run finds the prior state in place and writes nothing.
/// </summary>
public sealed class RestoreSnapshotActivity(StorageContext storage) : TaskActivity<RestoreSnapshotInput, RestoreSnapshotOutput>
{
    public override async Task<RestoreSnapshotOutput> RunAsync(TaskActivityContext context, RestoreSnapshotInput input)
    {
        var target = input.Entity.ToTarget();
        var prior = WireJson.Parse(input.Prior);
        var priorKey = WireJson.ParseKey(input.PriorKey);
        if (!input.PriorKnown)
        {
            var fold = HistoryFold.Fold(await new EntityReader(storage).ReadAllHistoryAsync(target));
            prior = fold.Document;
            priorKey = fold.LastApplied;
        }

        var result = await new SnapshotRestorer(storage).RestoreAsync(target, WireJson.RequireKey(input.FailedKey), prior, priorKey);
        return new RestoreSnapshotOutput(WireJson.Text(result.Snapshot), result.Generation, result.Action);
    }
}
