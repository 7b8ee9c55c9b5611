using System.Text.Json.Serialization;
using EccoStudio.Activities.Common;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Manifests;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Manifests;

/// <summary>
/// Input: the entity whose entry to settle. The failed write's snapshot and the one now in place are an in-process
/// view for callers that have them (never serialized): the stored snapshot decides.
/// </summary>
public sealed record RestoreManifestEntryInput(EntityRef Entity, [property: JsonIgnore] string? FailedSnapshot, [property: JsonIgnore] string? Restored);

/// <summary>
/// Compensation: the manifest entry is made to match the snapshot now in place (or goes away when there is none),
/// CAS on the entry and re-checked against the snapshot generation (<see cref="ManifestEntryRestorer.EnsureMatchesSnapshotAsync"/>).
/// Not "only if it is still the failed write's entry": a concurrent writer may have written an entry that carries the
/// failed change too (its snapshot had it folded in), and that entry is as wrong as ours once the change is compensated.
/// Idempotent. True when it wrote.
/// </summary>
public sealed class RestoreManifestEntryActivity(StorageContext storage) : TaskActivity<RestoreManifestEntryInput, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, RestoreManifestEntryInput input) =>
        new ManifestEntryRestorer(storage).EnsureMatchesSnapshotAsync(input.Entity.ToTarget());
}
