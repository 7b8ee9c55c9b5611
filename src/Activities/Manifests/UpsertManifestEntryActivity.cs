using System.Text.Json.Serialization;
using EccoStudio.Activities.Common;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Manifests;

/// <summary>
/// Input: the snapshot the entry describes, by generation (<see cref="SnapshotGeneration"/>); <see cref="Snapshot"/> is
/// the in-process view, never serialized.
/// </summary>
/// <param name="SnapshotGeneration">Generation of the snapshot (0 = unknown): the entry never goes back to an older snapshot's.</param>
public sealed record UpsertManifestEntryInput(EntityRef Entity, [property: JsonIgnore] string? Snapshot, bool MatchCurrentSnapshot = false, long SnapshotGeneration = 0);

/// <summary>
/// Step 3: the entity's own manifest entry object (<see cref="ManifestWriter"/>: CAS, an entry with a newer
/// updated_at is left alone, identical bytes are not rewritten). Idempotent. Returns true when it wrote. The snapshot is
/// read at the generation the snapshot step wrote; when that generation is gone (replaced on an unversioned bucket), the
/// live snapshot is used with its own generation: the entry only moves forward, and a newer snapshot's entry is what the
/// newer writer would leave anyway. With <see cref="UpsertManifestEntryInput.MatchCurrentSnapshot"/> (reconcile) the
/// entry is made to match the stored snapshot even when that is older (<see cref="ManifestEntryRestorer.EnsureMatchesSnapshotAsync"/>).
/// </summary>
public sealed class UpsertManifestEntryActivity(StorageContext storage) : TaskActivity<UpsertManifestEntryInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, UpsertManifestEntryInput input)
    {
        var target = input.Entity.ToTarget();
        if (input.MatchCurrentSnapshot)
        {
            return await new ManifestEntryRestorer(storage).EnsureMatchesSnapshotAsync(target);
        }

        if (input.Snapshot is not null)
        {
            return await new ManifestWriter(storage).UpsertEntryAsync(target, JsonText.ParseObject(input.Snapshot), input.SnapshotGeneration);
        }

        var reader = new EntityReader(storage);
        var snapshot = (input.SnapshotGeneration > 0 ? await reader.GetSnapshotAsync(target, input.SnapshotGeneration) : null)
            ?? await reader.GetSnapshotAsync(target);
        // No snapshot at all: a delete or compensation removed it, and settles the entry itself.
        return snapshot is not null && await new ManifestWriter(storage).UpsertEntryAsync(target, snapshot.Document, snapshot.Generation);
    }
}
