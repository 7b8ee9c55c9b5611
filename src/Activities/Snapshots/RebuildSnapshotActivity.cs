using System.Text.Json.Serialization;
using EccoStudio.Activities.Common;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Snapshots;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Snapshots;

/// <summary>Input: the entity to rebuild.</summary>
public sealed record RebuildSnapshotInput(EntityRef Entity);

/// <summary>
/// Whether a snapshot is in place after the rebuild (<see cref="Exists"/>), its generation, and whether anything was
/// written. <see cref="Before"/>/<see cref="After"/> (null when there is no snapshot) are the in-process view, never serialized.
/// </summary>
public sealed record RebuildSnapshotOutput([property: JsonIgnore] string? Before, [property: JsonIgnore] string? After, long Generation, bool Changed)
{
    /// <summary>History folds to a live entity: its snapshot is in place at <see cref="Generation"/>.</summary>
    public bool Exists { get; init; }
}

/// <summary>
/// Reconcile: the snapshot rebuilt from all history, ordered by (updated_at, ULID), compensated records skipped
/// (<see cref="SnapshotWriter.RebuildAsync"/>, CAS on the generation read). A no-op when already current.
/// </summary>
public sealed class RebuildSnapshotActivity(StorageContext storage) : TaskActivity<RebuildSnapshotInput, RebuildSnapshotOutput>
{
    public override async Task<RebuildSnapshotOutput> RunAsync(TaskActivityContext context, RebuildSnapshotInput input)
    {
        var result = await new SnapshotWriter(storage).RebuildAsync(input.Entity.ToTarget());
        return result is null
            ? new RebuildSnapshotOutput(null, null, 0, false)
            : new RebuildSnapshotOutput(WireJson.Text(result.Before), WireJson.Text(result.After), result.Generation, result.Changed) { Exists = true };
    }
}
