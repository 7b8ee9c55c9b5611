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
/// <see cref="FinishAsync"/> (CAS on <c>_index.ndjson</c>, clean-up, then the marker is deleted). Same format and
/// reader rule as <see cref="ManifestCompactor"/>: every entry written before W was listed by the shard steps (they
/// list after W); every entry written after W has a change marker named at or after W − margin (or, for an index
/// without <c>changes</c>, <c>updated</c> ≥ W) and is read directly. Safe while writes continue.
/// </summary>
public sealed class ShardedManifestCompaction(StorageContext context)
{
    public async Task<CompactionPlan> BeginAsync(string env, EntityKind kind, string compactionId, int shardSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardSize, 1);
        var bucket = context.Bucket(env);
        var marker = MarkerName(env, kind, compactionId);
        var existing = await context.Store.GetAsync(bucket, marker, null, cancellationToken);
        if (existing is null)
        {
            var previousIndex = ManifestIndexHeader.Parse(await context.Store.GetAsync(bucket, ObjectPaths.ManifestIndex(env, kind), null, cancellationToken));
            var body = JsonText.ToBytes(new JsonObject
            {
                ["previous"] = previousIndex.Generation,
                ["previousCompaction"] = previousIndex.CompactionId,
                ["previousChanges"] = previousIndex.Changes,
                ["previousUpdated"] = previousIndex.Updated is { } u ? Rfc3339.Format(u) : null,
            });
            try
            {
                await context.Store.PutAsync(bucket, marker, body, PutOptions.CreateOnly, cancellationToken);
            }
            catch (PreconditionFailedException)
            {
                // An earlier attempt wrote it: its view of the previous index is the one this compaction keeps.
            }

            existing = (await context.Store.GetAsync(bucket, marker, null, cancellationToken))!;
        }

        var recorded = JsonText.ParseObject(existing.Content.Span);
        var previous = new ManifestIndexHeader(recorded["previous"]!.GetValue<long>(),
            Rfc3339.TryParseUtc(EnvelopeReader.TryGetString(recorded, "previousUpdated"), out var updated) ? updated : null,
            EnvelopeReader.TryGetString(recorded, "previousCompaction"), null, EnvelopeReader.TryGetString(recorded, "previousChanges"), []);
        var watermark = existing.Info.Updated ?? context.Clock.GetUtcNow();
        var (changesFrom, changesCutoff) = ChangeWindow(context.ManifestChanges, previous, watermark);

        var names = (await context.Store.ListAllAsync(bucket, ObjectPaths.ManifestEntriesPrefix(env, kind), cancellationToken))
            .Select(i => i.Name).Order(StringComparer.Ordinal).ToList();
        var boundaries = new List<string>();
        for (var i = shardSize; i < names.Count; i += shardSize)
        {
            boundaries.Add(names[i]);
        }

        return new CompactionPlan(compactionId, watermark, previous.Generation, boundaries, previous.CompactionId, changesFrom, changesCutoff);
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

    /// <summary>
    /// Publishes the shards in <c>_index.ndjson</c>, then deletes what no reader needs any more
    /// (<see cref="CleanUpAsync"/>). False when another compaction replaced the index first (this one's shards are then deleted).
    /// </summary>
    public async Task<bool> FinishAsync(string env, EntityKind kind, CompactionPlan plan, IReadOnlyList<int> shardCounts, CancellationToken cancellationToken = default)
    {
        var bucket = context.Bucket(env);
        var indexName = ObjectPaths.ManifestIndex(env, kind);
        var shards = shardCounts.Select((count, i) => (ObjectPaths.ManifestShard(env, kind, plan.CompactionId, i), count)).ToList();
        var index = ManifestIndexHeader.Format(env, kind, plan.CompactionId, plan.Watermark, plan.ChangesFrom, shards);

        bool published;
        try
        {
            await context.Store.PutAsync(bucket, indexName, index,
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

        if (published)
        {
            await CleanUpAsync(context, env, kind, plan.CompactionId, plan.PreviousCompactionId, plan.Watermark, plan.ChangesCutoff, cancellationToken);
        }
        else
        {
            foreach (var info in await context.Store.ListAllAsync(bucket, ObjectPaths.ManifestShardsPrefix(env, kind) + plan.CompactionId + "/", cancellationToken))
            {
                await DeleteForGoodAsync(context, info, cancellationToken);
            }
        }

        await context.Store.DeleteAsync(bucket, MarkerName(env, kind, plan.CompactionId), null, cancellationToken);
        return published;
    }

    /// <summary>
    /// Whether the new index lists changes (from W − margin), and the marker time before which markers may go. Changes
    /// are listed once the previous index did, or once it has stood for the writers' absent-index trust
    /// (<see cref="ManifestChangeOptions.AbsentIndexTtl"/>) plus the margin before W: every entry written after W then has
    /// a marker. Markers go only before what the previous index's readers still list.
    /// </summary>
    internal static (string? ChangesFrom, string Cutoff) ChangeWindow(ManifestChangeOptions options, ManifestIndexHeader previous, DateTimeOffset watermark)
    {
        var from = ObjectPaths.ManifestChangeTime(watermark - options.Margin);
        var listed = previous.Changes is not null || (previous.Updated is { } stood && stood + options.AbsentIndexTtl + options.Margin <= watermark);
        var cutoff = previous.Changes is { } before && string.CompareOrdinal(before, from) < 0 ? before : from;
        return (listed ? from : null, cutoff);
    }

    /// <summary>
    /// After a publish: deletes shard sets that are neither this compaction's nor the previous index's and were written
    /// before this watermark (no index that can still be published names them: a compaction that would replace this
    /// index begins after it was published), then change markers named before <paramref name="changesCutoff"/>. Shards
    /// go first: a reader still holding an older index that lost markers it needed then also misses a shard, and starts
    /// over (<see cref="ManifestReader"/>). Deleted for good (every generation), so no noncurrent copies pile up.
    /// </summary>
    internal static async Task CleanUpAsync(StorageContext context, string env, EntityKind kind, string compactionId, string? previousCompactionId,
        DateTimeOffset watermark, string? changesCutoff, CancellationToken cancellationToken)
    {
        var bucket = context.Bucket(env);
        var shardsPrefix = ObjectPaths.ManifestShardsPrefix(env, kind);
        var replaced = (await context.Store.ListAllAsync(bucket, shardsPrefix, cancellationToken))
            .Where(i => i.Name[shardsPrefix.Length..].Split('/')[0] is var set && set != compactionId && set != previousCompactionId
                && i.Updated is { } written && written < watermark)
            .ToList();
        await DeleteAllAsync(context, replaced, cancellationToken);
        if (changesCutoff is not null)
        {
            var changesPrefix = ObjectPaths.ManifestChangesPrefix(env, kind);
            await DeleteAllAsync(context, await context.Store.ListAllAsync(bucket, changesPrefix, null, changesPrefix + changesCutoff, cancellationToken), cancellationToken);
        }
    }

    private static Task DeleteAllAsync(StorageContext context, IReadOnlyList<StoredObjectInfo> objects, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (info, ct) => await DeleteForGoodAsync(context, info, ct));

    private static async Task DeleteForGoodAsync(StorageContext context, StoredObjectInfo info, CancellationToken cancellationToken)
    {
        try
        {
            _ = context.Store is IObjectVersions versions
                ? await versions.DeleteGenerationAsync(info.Bucket, info.Name, info.Generation, cancellationToken)
                : await context.Store.DeleteAsync(info.Bucket, info.Name, info.Generation, cancellationToken);
        }
        catch (PreconditionFailedException)
        {
            // Replaced meanwhile: not the object listed.
        }
    }

    private static string MarkerName(string env, EntityKind kind, string compactionId) =>
        ObjectPaths.Tmp(env, $"compaction-{kind.Prefix}-{compactionId}");

    private static int CountLines(ReadOnlyMemory<byte> content) =>
        Encoding.UTF8.GetString(content.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
}

/// <summary>
/// A compaction's fixed inputs: id, watermark, the index generation it replaces, shard boundaries (entry names), the
/// replaced index's compaction id (its shards are kept one more generation), the marker time readers of the new index
/// list changes from (null: they list every entry) and the marker time before which markers are deleted.
/// </summary>
public sealed record CompactionPlan(string CompactionId, DateTimeOffset Watermark, long PreviousIndexGeneration, IReadOnlyList<string> Boundaries,
    string? PreviousCompactionId = null, string? ChangesFrom = null, string? ChangesCutoff = null)
{
    public int ShardCount => Boundaries.Count + 1;

    public string? Lower(int shard) => shard == 0 ? null : Boundaries[shard - 1];

    public string? Upper(int shard) => shard < Boundaries.Count ? Boundaries[shard] : null;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{CompactionId} ({ShardCount} shards)");
}
