using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using EccoStudio.Testing;
using EccoStudio.Testing.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace EccoStudio.Storage.Tests.Manifests;

/// <summary>Manifest reads after compaction: shards plus the changes since the watermark (docs/storage-model.md "Manifests: shards + changes").</summary>
public class ManifestReaderTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    private static readonly IndexCatalog Indices = IndexCatalog.Load(Path.Combine(TestData.SchemasFolder, "indices.json"));

    /// <summary>Short enough for a test to wait out; every writer trusts "no index" for 0 s.</summary>
    internal static readonly ManifestChangeOptions Quick = new() { Margin = TimeSpan.FromMilliseconds(300), AbsentIndexTtl = TimeSpan.Zero };

    private async Task<(StorageContext Context, StorageOperationCounter Counter, string Bucket)> NewContextAsync()
    {
        var client = emulator.CreateClient();
        var bucket = emulator.NewBucketName("mr");
        await client.CreateBucketAsync(emulator.ProjectId, bucket);
        var counter = new StorageOperationCounter();
        var store = new GcsObjectStore(client, new ObjectStoreOptions(), counter, NullLogger<GcsObjectStore>.Instance);
        var context = new StorageContext(store, new ObjectPaths(new StorageLayoutOptions { BucketName = bucket }), EntitySchemaRegistry.FromFolder(TestData.SchemasFolder),
            Indices) { ManifestChanges = Quick };
        return (context, counter, bucket);
    }

    internal static EntityTarget Target(string id) => new("dev", EntityCatalog.Venture, id);

    internal static JsonObject Venture(string id, string updatedAt, string status = "Pilot") => JsonText.ParseObject($$"""
        {"id":"{{id}}","entity":"venture","env":"dev","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z",
         "updated_at":"{{updatedAt}}","lead":"Bob","status":"{{status}}",
         "milestones":[{"milestoneId":"M1","title":"MVP","dueDate":"2026-02-01","status":"InProgress"}]}
        """);

    /// <summary>Writes <paramref name="count"/> ventures, then compacts twice, the second time once the first index has stood for the margin: changes listed.</summary>
    internal static async Task SeedCompactedAsync(StorageContext context, int count, int shardSize)
    {
        var pipeline = new EntityWritePipeline(context);
        for (var i = 0; i < count; i++)
        {
            await pipeline.WriteAsync(Target($"V{i:D3}"), Venture($"V{i:D3}", "2025-11-06T10:00:00Z"), Ulid.NewUlid());
        }

        await new ManifestCompactor(context, shardSize).CompactAsync("dev", EntityCatalog.Venture);
        await Task.Delay(context.ManifestChanges.Margin * 2);
        await new ManifestCompactor(context, shardSize).CompactAsync("dev", EntityCatalog.Venture);
    }

    private static async Task<ManifestIndexHeader> HeaderAsync(StorageContext context, string bucket) =>
        ManifestIndexHeader.Parse(await context.Store.GetAsync(bucket, ObjectPaths.ManifestIndex("dev", EntityCatalog.Venture)));

    private static List<string> Ids(IReadOnlyList<JsonObject> entries) => entries.Select(e => e["id"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task ReadAllAsync_AfterCompaction_ListsOnlyChangesSinceTheWatermark()
    {
        var (context, counter, bucket) = await NewContextAsync();
        await SeedCompactedAsync(context, 25, shardSize: 10);
        var header = await HeaderAsync(context, bucket);
        Assert.NotNull(header.Changes);
        Assert.Equal(3, header.Shards.Count);

        // Since the watermark: two updates, one new venture, one delete (snapshot gone, entry settled to match).
        await Task.Delay(context.ManifestChanges.Margin * 2);
        var pipeline = new EntityWritePipeline(context);
        await pipeline.WriteAsync(Target("V003"), Venture("V003", "2025-11-07T10:00:00Z", "Build"), Ulid.NewUlid());
        await pipeline.WriteAsync(Target("V017"), Venture("V017", "2025-11-07T10:00:00Z", "Scale"), Ulid.NewUlid());
        await pipeline.WriteAsync(Target("V100"), Venture("V100", "2025-11-07T10:00:00Z"), Ulid.NewUlid());
        await context.Store.DeleteAsync(bucket, ObjectPaths.Snapshot(Target("V020")), null);
        await new ManifestEntryRestorer(context).EnsureMatchesSnapshotAsync(Target("V020"));
        counter.Reset();

        var entries = await new ManifestReader(context).ReadAllAsync("dev", EntityCatalog.Venture);

        Assert.Equal(Enumerable.Range(0, 25).Where(i => i != 20).Select(i => $"V{i:D3}").Append("V100"), Ids(entries));
        Assert.Equal("Build", entries.Single(e => e["id"]!.GetValue<string>() == "V003")["status"]!.GetValue<string>());
        Assert.Equal("Scale", entries.Single(e => e["id"]!.GetValue<string>() == "V017")["status"]!.GetValue<string>());
        // One list call (the changes since the watermark fit one page), not one per 1,000 entries; reads: index, shards, changed entries.
        Assert.Equal(1, counter.Count(StorageOperationKind.List));
        Assert.Equal(1 + header.Shards.Count + 4, counter.Count(StorageOperationKind.Get));
    }

    [Fact]
    public async Task ReadAllAsync_ChangesSpanSeveralPages_OneListCallPerPageOfChanges()
    {
        var (context, counter, _) = await NewContextAsync();
        await SeedCompactedAsync(context, 3, shardSize: 2);
        for (var i = 0; i < 1005; i++)
        {
            await new ManifestWriter(context).UpsertEntryAsync(Target($"N{i:D4}"), Venture($"N{i:D4}", "2025-11-07T10:00:00Z"));
        }

        counter.Reset();
        var entries = await new ManifestReader(context).ReadAllAsync("dev", EntityCatalog.Venture);

        Assert.Equal(1008, entries.Count);
        Assert.Equal(2, counter.Count(StorageOperationKind.List));
    }

    [Fact]
    public async Task ReadAllAsync_WriteWithHistoryTimeBeforeWatermarkLandingAfterIt_IsListed()
    {
        // The history key (updated_at and ULID time) is an hour before the watermark; the manifest step runs after the
        // compaction took its watermark. The marker is named by the entry's server time, not the history key.
        var (context, _, bucket) = await NewContextAsync();
        await SeedCompactedAsync(context, 4, shardSize: 2);
        var compaction = new ShardedManifestCompaction(context);
        var plan = await compaction.BeginAsync("dev", EntityCatalog.Venture, Ulid.NewUlid().ToString(), 2);
        Assert.NotNull(plan.ChangesFrom);
        var old = plan.Watermark.AddHours(-1);
        var shardCounts = new List<int>();
        for (var i = 0; i < plan.ShardCount; i++)
        {
            shardCounts.Add(await compaction.WriteShardAsync("dev", EntityCatalog.Venture, plan.CompactionId, i, plan.Lower(i), plan.Upper(i)));
        }

        await new EntityWritePipeline(context).WriteAsync(Target("V001"), Venture("V001", Storage.Envelope.Rfc3339.FormatSeconds(old), "Build"), Ulid.NewUlid(old));
        Assert.True(await compaction.FinishAsync("dev", EntityCatalog.Venture, plan, shardCounts));

        var entries = await new ManifestReader(context).ReadAllAsync("dev", EntityCatalog.Venture);
        Assert.Equal("Build", entries.Single(e => e["id"]!.GetValue<string>() == "V001")["status"]!.GetValue<string>());
        Assert.DoesNotContain("\"status\":\"Build\"", string.Join('\n', await ShardTextsAsync(context, bucket)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAllAsync_DeleteByWorkerWithClockBehindWithinMargin_IsListedAsGone()
    {
        // A delete's marker is named by the worker clock; one running behind by less than the margin is still listed.
        var (context, _, bucket) = await NewContextAsync();
        await SeedCompactedAsync(context, 4, shardSize: 2);
        var behind = context with { Clock = new SkewedClock(-context.ManifestChanges.Margin / 2) };
        await context.Store.DeleteAsync(bucket, ObjectPaths.Snapshot(Target("V002")), null);
        await new ManifestEntryRestorer(behind).EnsureMatchesSnapshotAsync(Target("V002"));

        var entries = await new ManifestReader(context).ReadAllAsync("dev", EntityCatalog.Venture);

        Assert.Equal(["V000", "V001", "V003"], Ids(entries));
    }

    [Fact]
    public async Task ReadAllAsync_ShardOfItsIndexGone_ListsEveryEntryRatherThanAPart()
    {
        // A later compaction's clean-up deleted a shard this index names (a reader holding an index two generations
        // old): the reader starts over, and if the index it reads still names a missing shard, lists every entry.
        var (context, counter, bucket) = await NewContextAsync();
        await SeedCompactedAsync(context, 6, shardSize: 2);
        await context.Store.DeleteAsync(bucket, (await HeaderAsync(context, bucket)).Shards[1], null);
        counter.Reset();

        var entries = await new ManifestReader(context).ReadAllAsync("dev", EntityCatalog.Venture);

        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"V{i:D3}"), Ids(entries));
        Assert.True(counter.Count(StorageOperationKind.List) > 3, "every entry was listed");
    }

    private static async Task<List<string>> ShardTextsAsync(StorageContext context, string bucket)
    {
        var texts = new List<string>();
        foreach (var ptr in (await HeaderAsync(context, bucket)).Shards)
        {
            texts.Add(System.Text.Encoding.UTF8.GetString((await context.Store.GetAsync(bucket, ptr))!.Content.Span));
        }

        return texts;
    }
}
