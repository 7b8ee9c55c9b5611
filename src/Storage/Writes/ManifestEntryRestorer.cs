using System.Text.Json.Nodes;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Writes;

/// <summary>
/// Compensation of the manifest step: when the entity's entry object is still the one a failed write produced
/// (same bytes as <see cref="ManifestWriter.Entry"/> of that write's snapshot), it is replaced by the entry of the
/// restored snapshot (CAS), or deleted when the restored snapshot is absent. An entry written by anyone else is left
/// alone. Idempotent.
/// </summary>
public sealed class ManifestEntryRestorer(StorageContext context)
{
    /// <returns>True when the entry object was changed.</returns>
    public async Task<bool> RestoreAsync(EntityTarget target, JsonObject failedSnapshot, JsonObject? restored, CancellationToken cancellationToken = default)
    {
        var bucket = context.Bucket(target.Env);
        var name = ObjectPaths.ManifestEntry(target);
        var ours = JsonText.ToBytes(ManifestWriter.Entry(target, failedSnapshot));
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var existing = await context.Store.GetAsync(bucket, name, null, cancellationToken);
            if (existing is null || !existing.Content.Span.SequenceEqual(ours))
            {
                return false;
            }

            try
            {
                if (restored is null)
                {
                    await context.Store.DeleteAsync(bucket, name, existing.Generation, cancellationToken);
                }
                else
                {
                    var bytes = JsonText.ToBytes(ManifestWriter.Entry(target, restored));
                    if (bytes.AsSpan().SequenceEqual(ours))
                    {
                        return false;
                    }

                    await context.Store.PutAsync(bucket, name, bytes, PutOptions.Replacing(existing.Generation), cancellationToken);
                }

                return true;
            }
            catch (PreconditionFailedException)
            {
            }
        }

        return false;
    }
}
