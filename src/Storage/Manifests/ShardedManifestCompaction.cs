using System.Globalization;
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
/// <see cref="ManifestCompactor"/> split into separately callable, idempotent steps so that shards can be written in
/// parallel (fan-out) and a crashed compaction can resume: <see cref="BeginAsync"/> (marker under <c>tmp/</c>, its
/// server time = watermark W, the generation of <c>_index.ndjson</c> to replace, and the shard boundaries),
/// <see cref="WriteShardAsync"/> per shard (create-only, name fixed by compaction id + shard number), then
/// <see cref="FinishAsync"/> (CAS on <c>_index.ndjson</c>, then the marker is deleted). Same format and reader rule
/// as <see cref="ManifestCompactor"/>: every entry written before W was listed by the shard steps (they list after
/// W), every entry written after W has <c>updated</c> ≥ W and is read directly. Safe while writes continue.
/// </summary>
public sealed class ShardedManifestCompaction(StorageContext context)
{
    public async Task<CompactionPlan> BeginAsync(string env, EntityKind kind, string compactionId, int shardSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardSize, 1);
        var bucket = context.Bucket(env);
        var marker = MarkerName(env, kind, compactionId);
        StoredObjectInfo markerInfo;
        long previous;
        var existing = await context.Store.GetAsync(bucket, marker, null, cancellationToken);
        if (existing is not null)
        {
            markerInfo = existing.Info;
            previous = JsonText.ParseObject(existing.Content.Span)["previous"]!.GetValue<long>();
        }
        else
        {
            previous = (await context.Store.GetInfoAsync(bucket, ObjectPaths.ManifestIndex(env, kind), cancellationToken))?.Generation ?? 0;
            var body = JsonText.ToBytes(new JsonObject { ["previous"] = previous });
            try
            {
                markerInfo = await context.Store.PutAsync(bucket, marker, body, PutOptions.CreateOnly, cancellationToken);
            }
            catch (PreconditionFailedException)
            {
                var raced = (await context.Store.GetAsync(bucket, marker, null, cancellationToken))!;
                markerInfo = raced.Info;
                previous = JsonText.ParseObject(raced.Content.Span)["previous"]!.GetValue<long>();
            }
        }

        var names = (await context.Store.ListAllAsync(bucket, ObjectPaths.ManifestEntriesPrefix(env, kind), cancellationToken))
            .Select(i => i.Name).Order(StringComparer.Ordinal).ToList();
        var boundaries = new List<string>();
        for (var i = shardSize; i < names.Count; i += shardSize)
        {
            boundaries.Add(names[i]);
        }

        return new CompactionPlan(compactionId, markerInfo.Updated ?? DateTimeOffset.UtcNow, previous, boundaries);
    }

    /// <summary>Writes shard <paramref name="shard"/> (entries with names in [lower, upper)); returns its line count.</summary>
    public async Task<int> WriteShardAsync(string env, EntityKind kind, string compactionId, int shard, string? lowerInclusive, string? upperExclusive,
        CancellationToken cancellationToken = default)
    {
        var bucket = context.Bucket(env);
        var shardName = ObjectPaths.ManifestShard(env, kind, compactionId, shard);
        var existing = await context.Store.GetAsync(bucket, shardName, null, cancellationToken);
        if (existing is not null)
        {
            return CountLines(existing.Content);
        }

        var lines = new List<string>();
        foreach (var info in (await context.Store.ListAllAsync(bucket, ObjectPaths.ManifestEntriesPrefix(env, kind), cancellationToken))
            .Where(i => (lowerInclusive is null || string.CompareOrdinal(i.Name, lowerInclusive) >= 0)
                && (upperExclusive is null || string.CompareOrdinal(i.Name, upperExclusive) < 0))
            .OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            var stored = await context.Store.GetAsync(bucket, info.Name, null, cancellationToken);
            if (stored is not null)
            {
                lines.Add(Encoding.UTF8.GetString(stored.Content.Span));
            }
        }

        var text = lines.Count == 0 ? string.Empty : string.Join('\n', lines) + "\n";
        try
        {
            await context.Store.PutAsync(bucket, shardName, Encoding.UTF8.GetBytes(text), PutOptions.CreateOnly with { ContentType = "application/x-ndjson" }, cancellationToken);
            return lines.Count;
        }
        catch (PreconditionFailedException)
        {
            // An earlier attempt wrote it (entries read after W are all valid shard content): keep that one.
            var written = await context.Store.GetAsync(bucket, shardName, null, cancellationToken);
            return written is null ? lines.Count : CountLines(written.Content);
        }
    }

    /// <summary>Publishes the shards in <c>_index.ndjson</c>. False when another compaction replaced the index first.</summary>
    public async Task<bool> FinishAsync(string env, EntityKind kind, CompactionPlan plan, IReadOnlyList<int> shardCounts, CancellationToken cancellationToken = default)
    {
        var bucket = context.Bucket(env);
        var indexName = ObjectPaths.ManifestIndex(env, kind);
        var header = new JsonObject
        {
            ["type"] = "header", ["entity"] = kind.Name, ["env"] = env, ["compaction"] = plan.CompactionId,
            ["watermark"] = Rfc3339.Format(plan.Watermark), ["count"] = shardCounts.Sum(),
        };
        var index = new StringBuilder().Append(JsonText.ToText(header)).Append('\n');
        for (var i = 0; i < shardCounts.Count; i++)
        {
            var shard = new JsonObject { ["type"] = "shard", ["ptr"] = ObjectPaths.ManifestShard(env, kind, plan.CompactionId, i), ["count"] = shardCounts[i] };
            index.Append(JsonText.ToText(shard)).Append('\n');
        }

        bool published;
        try
        {
            await context.Store.PutAsync(bucket, indexName, Encoding.UTF8.GetBytes(index.ToString()),
                PutOptions.Expecting(plan.PreviousIndexGeneration == 0 ? null : plan.PreviousIndexGeneration) with { ContentType = "application/x-ndjson" },
                cancellationToken);
            published = true;
        }
        catch (PreconditionFailedException)
        {
            var current = await context.Store.GetAsync(bucket, indexName, null, cancellationToken);
            published = current is not null && Encoding.UTF8.GetString(current.Content.Span).Contains(
                "\"compaction\":\"" + plan.CompactionId + "\"", StringComparison.Ordinal);
        }

        await context.Store.DeleteAsync(bucket, MarkerName(env, kind, plan.CompactionId), null, cancellationToken);
        return published;
    }

    private static string MarkerName(string env, EntityKind kind, string compactionId) =>
        ObjectPaths.Tmp(env, $"compaction-{kind.Prefix}-{compactionId}");

    private static int CountLines(ReadOnlyMemory<byte> content) =>
        Encoding.UTF8.GetString(content.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
}

/// <summary>A compaction's fixed inputs: id, watermark, the index generation it replaces, shard boundaries (entry names).</summary>
public sealed record CompactionPlan(string CompactionId, DateTimeOffset Watermark, long PreviousIndexGeneration, IReadOnlyList<string> Boundaries)
{
    public int ShardCount => Boundaries.Count + 1;

    public string? Lower(int shard) => shard == 0 ? null : Boundaries[shard - 1];

    public string? Upper(int shard) => shard < Boundaries.Count ? Boundaries[shard] : null;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{CompactionId} ({ShardCount} shards)");
}
