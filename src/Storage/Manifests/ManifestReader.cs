using System.Globalization;
using System.Text.Json.Nodes;
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

            // The entry is authoritative, whichever updated_at it has (a compensation moves it back); absent = deleted.
            var current = await ReadEachAsync(changed, id => ObjectPaths.ManifestEntry(new EntityTarget(env, kind, id)), bucket, cancellationToken);
            for (var i = 0; i < changed.Count; i++)
            {
                if (current[i] is { } stored)
                {
                    byId[changed[i]] = JsonText.ParseObject(stored.Content.Span);
                }
                else
                {
                    byId.Remove(changed[i]);
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
        // Read and parsed concurrently, merged in shard order.
        var shards = new List<JsonObject>?[header.Shards.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, shards.Length), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) => shards[i] = await context.Store.GetAsync(bucket, header.Shards[i], null, ct) is { } shard ? ParseLines(shard.Content) : null);
        foreach (var entry in shards.SelectMany(lines => lines ?? []))
        {
            Merge(byId, entry);
        }

        return shards.All(s => s is not null);
    }

    /// <summary>Reads objects <see cref="Parallelism"/> at a time (as a client listing snapshots would); results in input order.</summary>
    private async Task<StoredObject?[]> ReadEachAsync(IReadOnlyList<string> keys, Func<string, string> name, string bucket, CancellationToken cancellationToken)
    {
        var results = new StoredObject?[keys.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, keys.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await context.Store.GetAsync(bucket, name(keys[i]), null, ct));
        return results;
    }

    /// <summary>Concurrent reads of shards and changed entries.</summary>
    private const int Parallelism = 8;

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

    /// <summary>One object per ndjson line, parsed straight from the UTF-8 bytes (no string per shard or line).</summary>
    private static List<JsonObject> ParseLines(ReadOnlyMemory<byte> content)
    {
        var entries = new List<JsonObject>();
        var rest = content.Span;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            if (!line.IsEmpty)
            {
                entries.Add(JsonText.ParseObject(line));
            }

            rest = end < 0 ? [] : rest[(end + 1)..];
        }

        return entries;
    }
}
