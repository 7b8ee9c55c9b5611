using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Manifests;

/// <summary>
/// Compacts per-id entries into sharded ndjson. Order: (1) write a marker under <c>tmp/</c> and take its server
/// time as the watermark W; (2) list and read every entry; (3) write shards
/// <c>manifests/{prefix}/shards/{compaction}/{nnnn}.ndjson</c>; (4) write <c>_index.ndjson</c> (CAS on the generation
/// read at the start): line 1 <c>{"type":"header","watermark":W,…}</c>, then one <c>{"type":"shard","ptr":…}</c>
/// per shard (<see cref="ManifestIndexHeader"/>); (5) delete replaced shard sets and old change markers. Readers
/// merge: shard lines, overridden by the entries named by change markers from W − margin on (or, for an index without
/// <c>changes</c>, by every entry whose GCS <c>updated</c> time is ≥ W). Every entry written before W is in a shard
/// (strong list consistency), so nothing is lost (docs/storage-model.md "Manifests: shards + changes").
/// </summary>
public sealed class ManifestCompactor(StorageContext context, int shardSize = 1000)
{
    /// <summary>
    /// Compacts again when <c>_index.ndjson</c> names a shard that does not exist (after a restore brought back an
    /// older entry point, or an erasure removed shards): the listing would silently miss that shard's entities.
    /// Returns the new compaction id, or null when every shard is there (or there is no entry point).
    /// </summary>
    public async Task<string?> RepairMissingShardsAsync(string env, EntityKind kind, CancellationToken cancellationToken = default)
    {
        var bucket = context.Bucket(env);
        var index = await context.Store.GetAsync(bucket, ObjectPaths.ManifestIndex(env, kind), null, cancellationToken);
        if (index is null)
        {
            return null;
        }

        foreach (var line in Encoding.UTF8.GetString(index.Content.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var item = JsonText.ParseObject(Encoding.UTF8.GetBytes(line));
            if (EnvelopeReader.TryGetString(item, "type") == "shard" && EnvelopeReader.TryGetString(item, "ptr") is { } ptr
                && await context.Store.GetInfoAsync(bucket, ptr, cancellationToken) is null)
            {
                return await CompactAsync(env, kind, cancellationToken);
            }
        }

        return null;
    }

    public async Task<string> CompactAsync(string env, EntityKind kind, CancellationToken cancellationToken = default)
    {
        var bucket = context.Bucket(env);
        var compactionId = Ulid.NewUlid().ToString();
        var indexName = ObjectPaths.ManifestIndex(env, kind);
        var previous = ManifestIndexHeader.Parse(await context.Store.GetAsync(bucket, indexName, null, cancellationToken));

        var marker = ObjectPaths.Tmp(env, $"compaction-{kind.Prefix}-{compactionId}");
        var markerInfo = await context.Store.PutAsync(bucket, marker, "{}"u8.ToArray(), PutOptions.CreateOnly, cancellationToken);
        var watermark = markerInfo.Updated ?? context.Clock.GetUtcNow();
        var (changesFrom, changesCutoff) = ShardedManifestCompaction.ChangeWindow(context.ManifestChanges, previous, watermark);

        var lines = new List<string>();
        foreach (var info in (await context.Store.ListAllAsync(bucket, ObjectPaths.ManifestEntriesPrefix(env, kind), cancellationToken)).OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            var stored = await context.Store.GetAsync(bucket, info.Name, null, cancellationToken);
            if (stored is not null)
            {
                lines.Add(Encoding.UTF8.GetString(stored.Content.Span));
            }
        }

        var shards = new List<(string, int)>();
        for (var i = 0; i < lines.Count || shards.Count == 0; i += shardSize)
        {
            var chunk = lines.Skip(i).Take(shardSize).ToList();
            var shardName = ObjectPaths.ManifestShard(env, kind, compactionId, shards.Count);
            var text = chunk.Count == 0 ? string.Empty : string.Join('\n', chunk) + "\n";
            await context.Store.PutAsync(bucket, shardName, Encoding.UTF8.GetBytes(text), PutOptions.CreateOnly with { ContentType = "application/x-ndjson" }, cancellationToken);
            shards.Add((shardName, chunk.Count));
        }

        await context.Store.PutAsync(bucket, indexName, ManifestIndexHeader.Format(env, kind, compactionId, watermark, changesFrom, shards),
            PutOptions.Expecting(previous.Generation == 0 ? null : previous.Generation) with { ContentType = "application/x-ndjson" }, cancellationToken);
        await ShardedManifestCompaction.CleanUpAsync(context, env, kind, compactionId, previous.CompactionId, watermark, changesCutoff, cancellationToken);
        await context.Store.DeleteAsync(bucket, marker, markerInfo.Generation, cancellationToken);
        return compactionId;
    }
}
