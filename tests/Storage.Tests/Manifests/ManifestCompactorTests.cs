using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using EccoStudio.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EccoStudio.Storage.Tests.Manifests;

/// <summary>What compaction leaves behind: the shard sets of the last two indexes and the markers their readers list.</summary>
public class ManifestCompactorTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    private static readonly IndexCatalog Indices = IndexCatalog.Load(Path.Combine(TestData.SchemasFolder, "indices.json"));

    private async Task<(StorageContext Context, string Bucket)> NewContextAsync(bool versioning = false)
    {
        var bucket = await emulator.CreateBucketAsync(versioning, "mc");
        var store = new GcsObjectStore(emulator.CreateClient(), new ObjectStoreOptions(), new StorageOperationCounter(), NullLogger<GcsObjectStore>.Instance);
        return (new StorageContext(store, new ObjectPaths(new StorageLayoutOptions { BucketName = bucket }), EntitySchemaRegistry.FromFolder(TestData.SchemasFolder),
            Indices) { ManifestChanges = ManifestReaderTests.Quick }, bucket);
    }

    private static async Task<ManifestIndexHeader> HeaderAsync(StorageContext context, string bucket) =>
        ManifestIndexHeader.Parse(await context.Store.GetAsync(bucket, ObjectPaths.ManifestIndex("dev", EntityCatalog.Venture)));

    private static async Task<List<string>> NamesAsync(StorageContext context, string bucket, string folder) =>
        (await context.Store.ListAllAsync(bucket, ObjectPaths.ManifestFolder("dev", EntityCatalog.Venture) + folder)).Select(i => i.Name).ToList();

    private static string SetOf(string shard) => shard.Split('/')[^2];

    [Fact]
    public async Task CompactAsync_Repeatedly_KeepsOnlyTheLastTwoShardSetsAndTheMarkersTheirReadersList()
    {
        var (context, bucket) = await NewContextAsync(versioning: true);
        await ManifestReaderTests.SeedCompactedAsync(context, 5, shardSize: 2);
        var second = await HeaderAsync(context, bucket);
        var pipeline = new EntityWritePipeline(context);
        await pipeline.WriteAsync(ManifestReaderTests.Target("V001"), ManifestReaderTests.Venture("V001", "2025-11-07T10:00:00Z", "Build"), Ulid.NewUlid());
        var firstMarkers = await NamesAsync(context, bucket, "changes/");
        Assert.Single(firstMarkers);

        await Task.Delay(context.ManifestChanges.Margin * 2);
        await new ManifestCompactor(context, 2).CompactAsync("dev", EntityCatalog.Venture);
        var third = await HeaderAsync(context, bucket);
        Assert.Equal([SetOf(second.Shards[0]), SetOf(third.Shards[0])], (await NamesAsync(context, bucket, "shards/")).Select(SetOf).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(firstMarkers, await NamesAsync(context, bucket, "changes/")); // the second index's readers still list it

        await pipeline.WriteAsync(ManifestReaderTests.Target("V002"), ManifestReaderTests.Venture("V002", "2025-11-07T10:00:00Z", "Scale"), Ulid.NewUlid());
        await Task.Delay(context.ManifestChanges.Margin * 2);
        await new ManifestCompactor(context, 2).CompactAsync("dev", EntityCatalog.Venture);
        var fourth = await HeaderAsync(context, bucket);

        Assert.Equal([SetOf(third.Shards[0]), SetOf(fourth.Shards[0])], (await NamesAsync(context, bucket, "shards/")).Select(SetOf).Distinct().Order(StringComparer.Ordinal));
        var markers = await NamesAsync(context, bucket, "changes/");
        Assert.DoesNotContain(firstMarkers[0], markers);
        Assert.Single(markers, m => m.EndsWith("_V002.json", StringComparison.Ordinal));
        // Deleted for good: no noncurrent generation of a replaced shard or an old marker is left on the versioned bucket.
        var versions = await ((IObjectVersions)context.Store).ListVersionsAsync(bucket, ObjectPaths.ManifestFolder("dev", EntityCatalog.Venture));
        Assert.DoesNotContain(versions.Objects, v => v.Name == firstMarkers[0] || v.Name.Contains("/" + SetOf(second.Shards[0]) + "/", StringComparison.Ordinal));
        var entries = await new ManifestReader(context).ReadAllAsync("dev", EntityCatalog.Venture);
        Assert.Equal(["Pilot", "Build", "Scale", "Pilot", "Pilot"], entries.Select(e => e["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task FinishAsync_AnotherCompactionPublishedFirst_DeletesItsOwnShardsOnly()
    {
        var (context, bucket) = await NewContextAsync();
        await ManifestReaderTests.SeedCompactedAsync(context, 5, shardSize: 2);
        var compaction = new ShardedManifestCompaction(context);

        async Task<(CompactionPlan Plan, List<int> Counts)> ShardsAsync()
        {
            var plan = await compaction.BeginAsync("dev", EntityCatalog.Venture, Ulid.NewUlid().ToString(), 2);
            var counts = new List<int>();
            for (var i = 0; i < plan.ShardCount; i++)
            {
                counts.Add(await compaction.WriteShardAsync("dev", EntityCatalog.Venture, plan.CompactionId, i, plan.Lower(i), plan.Upper(i)));
            }

            return (plan, counts);
        }

        var (loser, loserCounts) = await ShardsAsync();
        var (winner, winnerCounts) = await ShardsAsync();
        Assert.True(await compaction.FinishAsync("dev", EntityCatalog.Venture, winner, winnerCounts));
        Assert.False(await compaction.FinishAsync("dev", EntityCatalog.Venture, loser, loserCounts));

        var sets = (await NamesAsync(context, bucket, "shards/")).Select(SetOf).Distinct().ToList();
        Assert.Contains(winner.CompactionId, sets);
        Assert.Contains(winner.PreviousCompactionId!, sets);
        Assert.DoesNotContain(loser.CompactionId, sets);
        Assert.Equal(5, (await new ManifestReader(context).ReadAllAsync("dev", EntityCatalog.Venture)).Count);
    }
}
