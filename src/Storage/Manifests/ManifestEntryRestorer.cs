using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;

namespace EccoStudio.Storage.Manifests;

/// <summary>Makes an entity's manifest entry object match its stored snapshot (reconcile, and compensation of the manifest step).</summary>
public sealed class ManifestEntryRestorer(StorageContext context)
{
    /// <summary>
    /// Reconcile: makes the entry match the CURRENT snapshot (even when that is older than the entry, e.g. after the
    /// newest change was compensated), CAS on the entry; re-checks the snapshot generation afterwards and repeats if a
    /// writer moved it meanwhile. Deletes the entry when there is no snapshot. True when it wrote. Leaves a change marker
    /// for what it wrote, deleted, or found already right (<see cref="ManifestChanges"/>).
    /// </summary>
    public async Task<bool> EnsureMatchesSnapshotAsync(EntityTarget target, CancellationToken cancellationToken = default)
    {
        var bucket = context.Bucket(target.Env);
        var name = ObjectPaths.ManifestEntry(target);
        var reader = new EntityReader(context);
        var changes = new ManifestChanges(context);
        var wrote = false;
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var snapshot = await reader.GetSnapshotAsync(target, cancellationToken);
            var existing = await context.Store.GetAsync(bucket, name, null, cancellationToken);
            var bytes = snapshot is null ? null : JsonText.ToBytes(ManifestWriter.Entry(target, snapshot.Document));
            if (snapshot is not null && existing is not null && ManifestWriter.SnapshotGenerationOf(existing.Info) > snapshot.Generation)
            {
                // Derived from a newer snapshot than the one just read: the snapshot moved on; read again.
                continue;
            }

            try
            {
                if (bytes is null)
                {
                    if (existing is not null)
                    {
                        await changes.MarkDeletingAsync(target, cancellationToken);
                        wrote |= await context.Store.DeleteAsync(bucket, name, existing.Generation, cancellationToken);
                    }
                }
                else if (existing is null || !existing.Content.Span.SequenceEqual(bytes) || ManifestWriter.SnapshotGenerationOf(existing.Info) != snapshot!.Generation)
                {
                    var written = await context.Store.PutAsync(bucket, name, bytes,
                        PutOptions.Expecting(existing?.Generation) with { Metadata = ManifestWriter.Tag(snapshot!.Generation) }, cancellationToken);
                    await changes.MarkWrittenAsync(target, written, cancellationToken);
                    wrote = true;
                }
                else
                {
                    // Already right, perhaps written by an attempt that stopped before its change marker.
                    await changes.MarkWrittenAsync(target, existing.Info, cancellationToken);
                }
            }
            catch (PreconditionFailedException)
            {
                continue;
            }

            var after = await context.Store.GetInfoAsync(bucket, ObjectPaths.Snapshot(target), cancellationToken);
            if (after?.Generation == snapshot?.Generation)
            {
                return wrote;
            }
        }

        return wrote;
    }
}
