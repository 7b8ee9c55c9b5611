using EccoStudio.Activities.Common;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Manifests;

/// <summary>Input: the failed write's snapshot (whose entry to undo) and the snapshot now in place (null: absent).</summary>
public sealed record RestoreManifestEntryInput(EntityRef Entity, string FailedSnapshot, string? Restored);

/// <summary>
/// Compensation: the manifest entry goes back to the restored snapshot's entry (or away when there is none), only if
/// it is still the failed write's entry (<see cref="ManifestEntryRestorer"/>). Idempotent. True when it wrote.
/// </summary>
public sealed class RestoreManifestEntryActivity(StorageContext storage) : TaskActivity<RestoreManifestEntryInput, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, RestoreManifestEntryInput input) =>
        new ManifestEntryRestorer(storage).RestoreAsync(input.Entity.ToTarget(), JsonText.ParseObject(input.FailedSnapshot), WireJson.Parse(input.Restored));
}
