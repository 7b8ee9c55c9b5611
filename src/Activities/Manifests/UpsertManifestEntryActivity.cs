using EccoStudio.Activities.Common;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Manifests;

/// <summary>Input: the snapshot the entry describes.</summary>
/// <param name="SnapshotGeneration">Generation of <see cref="Snapshot"/> (0 = unknown): the entry never goes back to an older snapshot's.</param>
public sealed record UpsertManifestEntryInput(EntityRef Entity, string Snapshot, bool MatchCurrentSnapshot = false, long SnapshotGeneration = 0);

/// <summary>
/// Step 3: the entity's own manifest entry object (<see cref="ManifestWriter"/>: CAS, an entry with a newer
/// updated_at is left alone, identical bytes are not rewritten). Idempotent. Returns true when it wrote. With
/// <see cref="UpsertManifestEntryInput.MatchCurrentSnapshot"/> (reconcile) the entry is made to match the stored
/// snapshot even when that is older (<see cref="ManifestEntryRestorer.EnsureMatchesSnapshotAsync"/>).
/// </summary>
public sealed class UpsertManifestEntryActivity(StorageContext storage) : TaskActivity<UpsertManifestEntryInput, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, UpsertManifestEntryInput input) =>
        input.MatchCurrentSnapshot
            ? new ManifestEntryRestorer(storage).EnsureMatchesSnapshotAsync(input.Entity.ToTarget())
            : new ManifestWriter(storage).UpsertEntryAsync(input.Entity.ToTarget(), JsonText.ParseObject(input.Snapshot), input.SnapshotGeneration);
}
