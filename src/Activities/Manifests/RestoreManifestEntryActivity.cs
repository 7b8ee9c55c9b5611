using EccoStudio.Activities.Common;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Manifests;

/// <summary>Input: the failed write's snapshot (whose entry to undo) and the snapshot now in place (null: absent).</summary>
public sealed record RestoreManifestEntryInput(EntityRef Entity, string FailedSnapshot, string? Restored);

/// <summary>
/// Compensation: the manifest entry is made to match the snapshot now in place (or goes away when there is none),
/// CAS on the entry and re-checked against the snapshot generation (<see cref="ManifestEntryRestorer.EnsureMatchesSnapshotAsync"/>).
/// Not "only if it is still the failed write's entry": a concurrent writer may have written an entry that carries the
/// failed change too (its snapshot had it folded in), and that entry is as wrong as ours once the change is compensated.
/// Idempotent. True when it wrote. The input's snapshots name what is undone (logs, status); the stored snapshot decides.
/// </summary>
public sealed class RestoreManifestEntryActivity(StorageContext storage) : TaskActivity<RestoreManifestEntryInput, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, RestoreManifestEntryInput input) =>
        new ManifestEntryRestorer(storage).EnsureMatchesSnapshotAsync(input.Entity.ToTarget());
}
