using System.Text.Json.Serialization;
using EccoStudio.Activities.Common;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Snapshots;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Snapshots;

/// <summary>
/// Input: the failed change's key, and the snapshot it replaced when known (<see cref="PriorKnown"/>; unknown when the
/// snapshot step itself failed: then the prior state is the fold of history, which by now skips the failed change).
/// Through the engine the prior state is <see cref="PriorGeneration"/> (read by generation); <see cref="Prior"/> is
/// the in-process view, never serialized.
/// </summary>
public sealed record RestoreSnapshotInput(EntityRef Entity, string FailedKey, bool PriorKnown, [property: JsonIgnore] string? Prior, string? PriorKey)
{
    /// <summary>Generation of the prior snapshot: 0 = there was none; null = not a stored generation (then the fold of history stands in for it).</summary>
    public long? PriorGeneration { get; init; } = 0;
}

/// <summary>The snapshot now in place (<see cref="Snapshot"/>: in-process view, never serialized), its generation, and what was done.</summary>
public sealed record RestoreSnapshotOutput([property: JsonIgnore] string? Snapshot, long Generation, SnapshotRestoreAction Action)
{
    /// <summary>A snapshot is in place (at <see cref="Generation"/>).</summary>
    public bool Exists { get; init; }
}

/// <summary>
/// Compensation: put back the snapshot the failed write replaced, only while it is still that write's (see
/// <see cref="SnapshotRestorer"/>); otherwise rebuild from history. Runs after the compensation record is appended.
/// The prior state is read by the generation the snapshot step reported; when that generation is gone (an unversioned
/// bucket) or was never stored, the fold of history (which by now skips the failed change) is what gets restored:
/// the same state, since the prior snapshot was that fold. Idempotent: a second run finds the prior state in place and
/// writes nothing.
/// </summary>
public sealed class RestoreSnapshotActivity(StorageContext storage) : TaskActivity<RestoreSnapshotInput, RestoreSnapshotOutput>
{
    public override async Task<RestoreSnapshotOutput> RunAsync(TaskActivityContext context, RestoreSnapshotInput input)
    {
        var target = input.Entity.ToTarget();
        var prior = WireJson.Parse(input.Prior);
        var priorKey = WireJson.ParseKey(input.PriorKey);
        var known = input.PriorKnown;
        if (known && prior is null && input.PriorGeneration != 0)
        {
            var stored = input.PriorGeneration is { } generation ? await new EntityReader(storage).GetSnapshotAsync(target, generation) : null;
            prior = stored?.Document;
            known = stored is not null;
        }

        if (!known)
        {
            var fold = HistoryFold.Fold(await new EntityReader(storage).ReadAllHistoryAsync(target), migrations: storage.Chain(target.Kind));
            prior = fold.Document;
            priorKey = fold.LastApplied;
        }

        var result = await new SnapshotRestorer(storage).RestoreAsync(target, WireJson.RequireKey(input.FailedKey), prior, priorKey);
        return new RestoreSnapshotOutput(WireJson.Text(result.Snapshot), result.Generation, result.Action) { Exists = result.Snapshot is not null };
    }
}
