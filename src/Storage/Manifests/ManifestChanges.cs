using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Manifests;

/// <summary>
/// Change markers <c>manifests/{prefix}/changes/{time}_{id}.json</c>: "this id's entry changed at or after time", so a
/// reader lists only the markers from the watermark on instead of every entry (docs/storage-model.md "Manifests:
/// shards + changes"). A marker is a hint: a second one for the same change costs a read, never a wrong answer.
/// Written only once the kind has an <c>_index.ndjson</c>; before that readers list every entry anyway.
/// </summary>
public sealed class ManifestChanges(StorageContext context)
{
    private static readonly byte[] Body = "{}"u8.ToArray();

    /// <summary>
    /// After an entry write: the marker named by the entry generation's server time, so the same stored entry always
    /// gives the same name (a retry finds it: 412, done). Without a server time (a store that keeps none), the clock.
    /// </summary>
    public Task MarkWrittenAsync(EntityTarget target, StoredObjectInfo entry, CancellationToken cancellationToken = default) =>
        MarkAsync(target, entry.Updated ?? context.Clock.GetUtcNow(), cancellationToken);

    /// <summary>
    /// Before an entry delete: a delete has no server time to be named by, so the worker clock now; the delete lands
    /// after the marker, within <see cref="ManifestChangeOptions.Margin"/> of this time (a retry writes another marker: harmless).
    /// </summary>
    public Task MarkDeletingAsync(EntityTarget target, CancellationToken cancellationToken = default) =>
        MarkAsync(target, context.Clock.GetUtcNow(), cancellationToken);

    private async Task MarkAsync(EntityTarget target, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var bucket = context.Bucket(target.Env);
        if (!await context.ManifestPresence.HasIndexAsync(context.Store, bucket, target.Env, target.Kind, context.ManifestChanges.AbsentIndexTtl, cancellationToken))
        {
            return;
        }

        try
        {
            await context.Store.PutAsync(bucket, ObjectPaths.ManifestChange(target, time), Body, PutOptions.CreateOnly with { ContentType = "application/json" },
                cancellationToken);
        }
        catch (PreconditionFailedException)
        {
            // Written by an earlier attempt of the same step.
        }
    }

    /// <summary>Ids named by the markers from <paramref name="from"/> (a marker name prefix, see the index header) on, in first-seen order.</summary>
    public async Task<IReadOnlyList<string>> ChangedIdsAsync(string env, EntityKind kind, string from, CancellationToken cancellationToken = default)
    {
        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var info in await context.Store.ListAllAsync(context.Bucket(env), ObjectPaths.ManifestChangesPrefix(env, kind), from, null, cancellationToken))
        {
            if (ObjectNameParser.TryParse(info.Name) is { Category: ObjectCategory.ManifestChange, Id: { } id } && seen.Add(id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }
}
