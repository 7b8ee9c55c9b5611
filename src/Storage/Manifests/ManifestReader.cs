using System.Globalization;
using System.Text.Json.Nodes;
using System.Text;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Manifests;

/// <summary>
/// Reads the manifest: <c>_index.ndjson</c> shards merged with the entries changed since the watermark, found by
/// listing change markers from the header's <c>changes</c> time on (one list call per 1,000 changes), or for an index
/// without it by listing every entry; paged by id (docs/storage-model.md "Manifests: shards + changes").
/// </summary>
public sealed class ManifestReader(StorageContext context)
{
    public async Task<(IReadOnlyList<JsonObject> Entries, string? NextPageToken)> ListAsync(string env, EntityKind kind, int pageSize = 100, string? pageToken = null,
        CancellationToken cancellationToken = default)
    {
        var all = await ReadAllAsync(env, kind, cancellationToken);
        var skip = pageToken is null ? 0 : int.Parse(pageToken, CultureInfo.InvariantCulture);
        var page = all.Skip(skip).Take(pageSize).ToList();
        return (page, skip + page.Count < all.Count ? (skip + page.Count).ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>Times a read starts over on a newer index after finding a shard gone before it lists every entry instead.</summary>
    private const int Attempts = 3;

    public async Task<IReadOnlyList<JsonObject>> ReadAllAsync(string env, EntityKind kind, CancellationToken cancellationToken = default)
    {
        var bucket = context.Bucket(env);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var header = ManifestIndexHeader.Parse(await context.Store.GetAsync(bucket, ObjectPaths.ManifestIndex(env, kind), null, cancellationToken));
            if (header.Changes is not { } changes)
            {
                return await ReadByEntryTimesAsync(bucket, env, kind, header, cancellationToken);
            }

            // Markers before shards: compaction deletes replaced shards before old markers, so if markers this index
            // needs were gone when they were listed, one of its shards is gone too and the read starts over.
            var changed = await new ManifestChanges(context).ChangedIdsAsync(env, kind, ObjectPaths.ManifestChangesPrefix(env, kind) + changes, cancellationToken);
            var byId = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            if (!await MergeShardsAsync(bucket, header, byId, cancellationToken))
            {
                continue;
            }

            foreach (var id in changed)
            {
                // The entry is authoritative, whichever updated_at it has (a compensation moves it back); absent = deleted.
                var stored = await context.Store.GetAsync(bucket, ObjectPaths.ManifestEntry(new EntityTarget(env, kind, id)), null, cancellationToken);
                if (stored is null)
                {
                    byId.Remove(id);
                }
                else
                {
                    byId[id] = JsonText.ParseObject(stored.Content.Span);
                }
            }

            return byId.Values.ToList();
        }

        return await ReadByEntryTimesAsync(bucket, env, kind, ManifestIndexHeader.None, cancellationToken);
    }

    /// <summary>
    /// An index without <c>changes</c> (or none): shard lines, overridden by every entry object whose GCS
    /// <c>updated</c> ≥ W; lists every entry.
    /// </summary>
    private async Task<IReadOnlyList<JsonObject>> ReadByEntryTimesAsync(string bucket, string env, EntityKind kind, ManifestIndexHeader header,
        CancellationToken cancellationToken)
    {
        var byId = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        await MergeShardsAsync(bucket, header, byId, cancellationToken);
        foreach (var info in await context.Store.ListAllAsync(bucket, ObjectPaths.ManifestEntriesPrefix(env, kind), cancellationToken))
        {
            if (header.Watermark is { } watermark && info.Updated is { } updated && updated < watermark)
            {
                continue;
            }

            var stored = await context.Store.GetAsync(bucket, info.Name, null, cancellationToken);
            if (stored is not null)
            {
                Merge(byId, JsonText.ParseObject(stored.Content.Span));
            }
        }

        return byId.Values.ToList();
    }

    /// <summary>False when a shard the index names is gone (a later compaction replaced it).</summary>
    private async Task<bool> MergeShardsAsync(string bucket, ManifestIndexHeader header, SortedDictionary<string, JsonObject> byId, CancellationToken cancellationToken)
    {
        var complete = true;
        foreach (var ptr in header.Shards)
        {
            var shard = await context.Store.GetAsync(bucket, ptr, null, cancellationToken);
            complete &= shard is not null;
            foreach (var entryLine in shard is null ? [] : Lines(shard.Content))
            {
                Merge(byId, JsonText.ParseObject(entryLine));
            }
        }

        return complete;
    }

    private static void Merge(SortedDictionary<string, JsonObject> byId, JsonObject entry)
    {
        var id = EnvelopeReader.TryGetString(entry, "id");
        if (id is null)
        {
            return;
        }

        if (!byId.TryGetValue(id, out var existing)
            || !EnvelopeReader.TryGetUpdatedAt(existing, out var a) || !EnvelopeReader.TryGetUpdatedAt(entry, out var b) || b >= a)
        {
            byId[id] = entry;
        }
    }

    private static string[] Lines(ReadOnlyMemory<byte> content) =>
        Encoding.UTF8.GetString(content.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
