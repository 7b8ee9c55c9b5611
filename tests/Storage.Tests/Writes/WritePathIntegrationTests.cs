using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Naming;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Snapshots;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using EccoStudio.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EccoStudio.Storage.Tests.Writes;

public class WritePathIntegrationTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    private static readonly IndexCatalog Indices = IndexCatalog.Load(Path.Combine(TestData.SchemasFolder, "indices.json"));

    private async Task<(StorageContext Context, StorageOperationCounter Counter, string Bucket)> NewContextAsync()
    {
        var client = emulator.CreateClient();
        var bucket = emulator.NewBucketName("st");
        await client.CreateBucketAsync(emulator.ProjectId, bucket);
        var counter = new StorageOperationCounter();
        var store = new GcsObjectStore(client, new ObjectStoreOptions { GzipThresholdBytes = 4096 }, counter, NullLogger<GcsObjectStore>.Instance);
        var paths = new ObjectPaths(new StorageLayoutOptions { BucketName = bucket });
        return (new StorageContext(store, paths, EntitySchemaRegistry.FromFolder(TestData.SchemasFolder), Indices), counter, bucket);
    }

    private static async Task<List<string>> ListBucketAsync(StorageContext context, string bucket) =>
        (await context.Store.ListAllAsync(bucket, string.Empty)).Select(o => o.Name).ToList();

    private static JsonObject Venture(string id, string updatedAt, string status = "Pilot", string lead = "Bob") =>
        JsonText.ParseObject($$"""
            {"id":"{{id}}","entity":"venture","env":"dev","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z",
             "updated_at":"{{updatedAt}}","lead":"{{lead}}","status":"{{status}}",
             "milestones":[{"milestoneId":"M1","title":"Build MVP","dueDate":"2026-02-01","status":"InProgress"}]}
            """);

    [Fact]
    public async Task WriteAsync_SpecExamples_LandAtExactNamesWithExactContents()
    {
        var (context, _, bucket) = await NewContextAsync();
        var pipeline = new EntityWritePipeline(context);
        var ulid = Ulid.Parse("01HFB9ZK3Q7W8X9Y0ABCDEFGHJ");
        foreach (var (file, kind) in TestData.SpecExamples)
        {
            var doc = TestData.Example(file);
            var target = new EntityTarget("prod", kind, doc["id"]!.GetValue<string>());
            await pipeline.WriteAsync(target, doc, ulid);
        }

        async Task<string> Read(string name) => Encoding.UTF8.GetString((await context.Store.GetAsync(bucket, name))!.Content.Span);
        Assert.Equal(TestData.Landed("idea.history.json"),
            await Read("env/prod/ideas/IDEA-001/history/2025/11/06/2025-11-06T10:18:22Z_01HFB9ZK3Q7W8X9Y0ABCDEFGHJ.json"));
        Assert.Equal(TestData.Landed("idea.history.json"), await Read("env/prod/snapshots/ideas/IDEA-001.json"));
        Assert.Equal(TestData.Landed("venture.snapshot.json"), await Read("env/prod/snapshots/ventures/V001.json"));
        Assert.Equal(TestData.Landed("cap_table.snapshot.json"), await Read("env/prod/snapshots/cap_tables/CT-V001.json"));
        Assert.Equal(TestData.Landed("round.snapshot.json"), await Read("env/prod/snapshots/rounds/R-V001-SEED.json"));
        Assert.Equal("""{"ptr":"env/prod/snapshots/cap_tables/CT-V001.json","id":"CT-V001","updated_at":"2025-11-06T10:35:00Z","asOf":"2025-11-01"}""",
            await Read("env/prod/indices/cap_tables/by-venture/V001.json"));
        Assert.Contains("\"ptr\":\"env/prod/snapshots/ventures/V001.json\"", await Read("env/prod/indices/ventures/by-status/Pilot/V001.json"), StringComparison.Ordinal);
        Assert.Contains("\"id\":\"V001\"", await Read("env/prod/indices/ventures/by-lead/Bob/V001.json"), StringComparison.Ordinal);
        Assert.Contains("\"id\":\"V001\"", await Read("env/prod/indices/ventures/by-next-due/2026-02/V001.json"), StringComparison.Ordinal);
        Assert.Contains("\"id\":\"R-V001-SEED\"", await Read("env/prod/indices/rounds/by-venture/V001/R-V001-SEED.json"), StringComparison.Ordinal);
        Assert.Equal("""{"ptr":"env/prod/snapshots/ventures/V001.json","id":"V001","updated_at":"2025-11-06T10:21:23Z","status":"Pilot","lead":"Bob"}""",
            await Read("env/prod/manifests/ventures/entries/V001.json"));
    }

    [Fact]
    public async Task WriteAsync_SixteenConcurrentWritersOnOneId_ConvergeToNewestWithNoLostChange()
    {
        var (context, _, _) = await NewContextAsync();
        var target = new EntityTarget("dev", EntityCatalog.Venture, "V-RACE");
        await new EntityWritePipeline(context).WriteAsync(target, Venture("V-RACE", "2025-11-06T10:00:00Z"), Ulid.NewUlid());
        var tasks = Enumerable.Range(1, 16).Select(i => Task.Run(async () =>
        {
            var patch = new JsonObject
            {
                ["id"] = "V-RACE", ["entity"] = "venture", ["env"] = "dev",
                ["updated_at"] = $"2025-11-06T10:00:{i:D2}Z",
                ["kpis"] = new JsonObject { [$"k{i}"] = i },
            };
            await new EntityWritePipeline(context).WriteAsync(target, patch, Ulid.NewUlid(), ChangeKind.MergePatch);
        }));
        await Task.WhenAll(tasks);

        var snapshot = (await new EntityReader(context).GetSnapshotAsync(target))!;
        Assert.Equal("2025-11-06T10:00:16Z", snapshot.Document["updated_at"]!.GetValue<string>());
        for (var i = 1; i <= 16; i++)
        {
            Assert.Equal(i, snapshot.Document["kpis"]![$"k{i}"]!.GetValue<int>());
        }

        var rebuilt = (await new EntityReader(context).FoldAsOfAsync(target, null)).Document;
        Assert.True(JsonNode.DeepEquals(rebuilt, snapshot.Document));
    }

    [Fact]
    public async Task AppendAsync_Retried_IsIdempotent_AndDifferentContentConflicts()
    {
        var (context, _, bucket) = await NewContextAsync();
        var target = new EntityTarget("dev", EntityCatalog.Venture, "V-RETRY");
        var ulid = Ulid.NewUlid();
        var validator = new ChangeValidator(context);
        var change = await validator.PrepareAsync(target, Venture("V-RETRY", "2025-11-06T10:00:00Z"), ulid);
        var writer = new HistoryWriter(context);
        Assert.True(await writer.AppendAsync(change));
        Assert.False(await writer.AppendAsync(change));
        Assert.Single(await ListBucketAsync(context, bucket));

        var other = await validator.PrepareAsync(target, Venture("V-RETRY", "2025-11-06T10:00:00Z", status: "Build"), ulid);
        Assert.Equal(change.ObjectName, other.ObjectName);
        var ex = await Assert.ThrowsAsync<WriteConflictException>(() => writer.AppendAsync(other));
        Assert.Equal(change.ObjectName, ex.ObjectName);
    }

    [Fact]
    public async Task SnapshotApply_OlderOrRepeatedChange_IsNoOp()
    {
        var (context, _, _) = await NewContextAsync();
        var target = new EntityTarget("dev", EntityCatalog.Venture, "V-ORDER");
        var pipeline = new EntityWritePipeline(context);
        var newer = await pipeline.WriteAsync(target, Venture("V-ORDER", "2025-11-06T12:00:00Z", status: "Build"), Ulid.NewUlid());
        var older = await pipeline.WriteAsync(target, Venture("V-ORDER", "2025-11-06T11:00:00Z", status: "Pilot"), Ulid.NewUlid());
        Assert.False(older.Snapshot.Changed);
        var again = await new SnapshotWriter(context).ApplyAsync(target, (await new EntityReader(context).ListHistoryAsync(target)).Records[0].Record);
        Assert.False(again.Changed);
        var snapshot = (await new EntityReader(context).GetSnapshotAsync(target))!;
        Assert.Equal("Build", snapshot.Document["status"]!.GetValue<string>());
        Assert.Equal(newer.Snapshot.Generation, snapshot.Generation);
        var rebuilt = await new SnapshotWriter(context).RebuildAsync(target);
        Assert.False(rebuilt!.Changed);
    }

    [Fact]
    public async Task Sync_KeyChange_LeavesNoStalePointer()
    {
        var (context, _, bucket) = await NewContextAsync();
        var target = new EntityTarget("dev", EntityCatalog.Venture, "V-KEY");
        var pipeline = new EntityWritePipeline(context);
        await pipeline.WriteAsync(target, Venture("V-KEY", "2025-11-06T10:00:00Z", status: "Pilot", lead: "Bob"), Ulid.NewUlid());
        await pipeline.WriteAsync(target, Venture("V-KEY", "2025-11-06T10:00:01Z", status: "Build", lead: "Ann"), Ulid.NewUlid());
        var pointers = (await ListBucketAsync(context, bucket)).Where(n => n.Contains("/indices/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
        [
            "env/dev/indices/ventures/by-lead/Ann/V-KEY.json",
            "env/dev/indices/ventures/by-next-due/2026-02/V-KEY.json",
            "env/dev/indices/ventures/by-status/Build/V-KEY.json",
        ], pointers);
    }

    [Fact]
    public async Task Put_StaleGeneration_Throws412_NotSwallowed()
    {
        var (context, counter, bucket) = await NewContextAsync();
        var first = await context.Store.PutAsync(bucket, "env/dev/tmp/x", "{}"u8.ToArray(), PutOptions.CreateOnly);
        await context.Store.PutAsync(bucket, "env/dev/tmp/x", "{\"a\":1}"u8.ToArray(), PutOptions.Replacing(first.Generation));
        counter.Reset();
        var ex = await Assert.ThrowsAsync<PreconditionFailedException>(() =>
            context.Store.PutAsync(bucket, "env/dev/tmp/x", "{\"a\":2}"u8.ToArray(), PutOptions.Replacing(first.Generation)));
        Assert.Equal(first.Generation, ex.ExpectedGeneration);
        Assert.Equal(1, counter.Count(StorageOperationKind.Put));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => context.Store.DeleteAsync(bucket, "env/dev/tmp/x", first.Generation));
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString((await context.Store.GetAsync(bucket, "env/dev/tmp/x"))!.Content.Span));
    }

    [Fact]
    public async Task Put_LargePayload_StoredGzipAndReadBackTransparently()
    {
        var (context, _, bucket) = await NewContextAsync();
        var big = Encoding.UTF8.GetBytes("{\"text\":\"" + new string('x', 10_000) + "\"}");
        var info = await context.Store.PutAsync(bucket, "env/dev/tmp/big.json", big, PutOptions.CreateOnly);
        Assert.Equal("gzip", info.ContentEncoding);
        Assert.True(info.Size < big.Length);
        Assert.Equal(big, (await context.Store.GetAsync(bucket, "env/dev/tmp/big.json"))!.Content.ToArray());
    }

    public static TheoryData<string, string> RejectedInputs => new()
    {
        { "bad id", "" },
        { "envelope mismatch", "" },
        { "schema violation", "" },
        { "unknown schema_version", "" },
        { "unknown entity", "" },
        { "bad index key", "" },
    };

    [Theory]
    [MemberData(nameof(RejectedInputs))]
    public async Task WriteAsync_RejectedInput_WritesNothing(string @case, string unused)
    {
        _ = unused;
        var (context, counter, bucket) = await NewContextAsync();
        var pipeline = new EntityWritePipeline(context);
        Func<Task> write = @case switch
        {
            "bad id" => () => pipeline.WriteAsync(new EntityTarget("dev", EntityCatalog.Venture, "../V1"), Venture("../V1", "2025-11-06T10:00:00Z"), Ulid.NewUlid()),
            "envelope mismatch" => () => pipeline.WriteAsync(new EntityTarget("dev", EntityCatalog.Venture, "V1"), Venture("V2", "2025-11-06T10:00:00Z"), Ulid.NewUlid()),
            "schema violation" => () => pipeline.WriteAsync(new EntityTarget("dev", EntityCatalog.Venture, "V1"), Venture("V1", "2025-11-06T10:00:00Z", status: "Dreaming"), Ulid.NewUlid()),
            "unknown schema_version" => () =>
            {
                var doc = Venture("V1", "2025-11-06T10:00:00Z");
                doc["schema_version"] = "7.0.0";
                return pipeline.WriteAsync(new EntityTarget("dev", EntityCatalog.Venture, "V1"), doc, Ulid.NewUlid());
            },
            "unknown entity" => () => pipeline.WriteAsync(EntityTarget.Of("dev", "spaceship", "V1"), Venture("V1", "2025-11-06T10:00:00Z"), Ulid.NewUlid()),
            _ => () => pipeline.WriteAsync(new EntityTarget("dev", EntityCatalog.Venture, "V1"), Venture("V1", "2025-11-06T10:00:00Z", lead: "a#b"), Ulid.NewUlid()),
        };
        var ex = await Assert.ThrowsAnyAsync<StorageModelException>(write);
        Assert.True(ex is InvalidIdentifierException or EnvelopeException or SchemaViolationException or UnknownSchemaVersionException or UnknownEntityException);
        Assert.Empty(await ListBucketAsync(context, bucket));
        Assert.Equal(0, counter.Count(StorageOperationKind.Put));
    }

    [Fact]
    public async Task WriteAsync_SteadyStateVenture_CostsFiveOperations()
    {
        var (context, counter, _) = await NewContextAsync();
        var target = new EntityTarget("dev", EntityCatalog.Venture, "V-OPS");
        var pipeline = new EntityWritePipeline(context);
        await pipeline.WriteAsync(target, Venture("V-OPS", "2025-11-06T10:00:00Z"), Ulid.NewUlid());
        counter.Reset();
        var doc = Venture("V-OPS", "2025-11-06T10:00:01Z");
        doc["kpis"] = new JsonObject { ["MRR"] = 13000 };
        await pipeline.WriteAsync(target, doc, Ulid.NewUlid());
        // history put; snapshot get + put; manifest entry get + put; no index op (keys unchanged).
        Assert.Equal(2, counter.Count(StorageOperationKind.Get));
        Assert.Equal(3, counter.Count(StorageOperationKind.Put));
        Assert.Equal(0, counter.Count(StorageOperationKind.Delete));
        Assert.Equal(0, counter.Count(StorageOperationKind.List));
    }

    [Fact]
    public async Task WriteAsync_SteadyStateVentureOfCompactedKind_CostsSixOperations()
    {
        var (created, counter, bucket) = await NewContextAsync();
        var context = created with { ManifestChanges = new ManifestChangeOptions { AbsentIndexTtl = TimeSpan.Zero } }; // no wait for "no index" to expire
        var target = new EntityTarget("dev", EntityCatalog.Venture, "V-OPS");
        var pipeline = new EntityWritePipeline(context);
        await pipeline.WriteAsync(target, Venture("V-OPS", "2025-11-06T10:00:00Z"), Ulid.NewUlid());
        await new ManifestCompactor(context).CompactAsync("dev", EntityCatalog.Venture);
        await pipeline.WriteAsync(target, Venture("V-OPS", "2025-11-06T10:00:01Z"), Ulid.NewUlid()); // learns the kind has an index
        counter.Reset();
        var doc = Venture("V-OPS", "2025-11-06T10:00:02Z");
        doc["kpis"] = new JsonObject { ["MRR"] = 13000 };
        await pipeline.WriteAsync(target, doc, Ulid.NewUlid());
        // As above, plus the change marker (docs/storage-model.md "Manifests: shards + changes").
        Assert.Equal(2, counter.Count(StorageOperationKind.Get));
        Assert.Equal(4, counter.Count(StorageOperationKind.Put));
        Assert.Equal(0, counter.Count(StorageOperationKind.Delete));
        Assert.Equal(0, counter.Count(StorageOperationKind.List));
        Assert.Equal(2, (await context.Store.ListAllAsync(bucket, ObjectPaths.ManifestChangesPrefix("dev", EntityCatalog.Venture))).Count);
    }

    [Fact]
    public async Task Compaction_ThenLaterWrites_ReaderMergesShardsAndNewerEntries()
    {
        var (context, _, bucket) = await NewContextAsync();
        var pipeline = new EntityWritePipeline(context);
        for (var i = 0; i < 5; i++)
        {
            await pipeline.WriteAsync(new EntityTarget("dev", EntityCatalog.Venture, $"V{i}"), Venture($"V{i}", "2025-11-06T10:00:00Z"), Ulid.NewUlid());
        }

        await new ManifestCompactor(context, shardSize: 2).CompactAsync("dev", EntityCatalog.Venture);
        await pipeline.WriteAsync(new EntityTarget("dev", EntityCatalog.Venture, "V9"), Venture("V9", "2025-11-06T10:00:00Z"), Ulid.NewUlid());
        await pipeline.WriteAsync(new EntityTarget("dev", EntityCatalog.Venture, "V0"), Venture("V0", "2025-11-06T11:00:00Z", status: "Build"), Ulid.NewUlid());

        var entries = await new ManifestReader(context).ReadAllAsync("dev", EntityCatalog.Venture);
        Assert.Equal(["V0", "V1", "V2", "V3", "V4", "V9"], entries.Select(e => e["id"]!.GetValue<string>()));
        Assert.Equal("Build", entries[0]["status"]!.GetValue<string>());
        var names = await ListBucketAsync(context, bucket);
        Assert.Equal(3, names.Count(n => n.Contains("/manifests/ventures/shards/", StringComparison.Ordinal)));
        Assert.Contains("env/dev/manifests/ventures/_index.ndjson", names);
        Assert.DoesNotContain(names, n => n.Contains("/tmp/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublishSchemas_ThenRegistryFromGcs_ValidatesAndRepublishIsNoOp()
    {
        var (context, _, bucket) = await NewContextAsync();
        var publisher = new SchemaPublisher(context.Store, context.Paths);
        var written = await publisher.PublishAsync("dev", TestData.SchemasFolder);
        Assert.Contains("env/dev/schemas/cap_table/v1.0.0.schema.json", written);
        Assert.Equal(EntityCatalog.All.Count, written.Count);
        Assert.Empty(await publisher.PublishAsync("dev", TestData.SchemasFolder));
        var registry = new EntitySchemaRegistry(new GcsSchemaSource(context.Store, context.Paths));
        var schema = await registry.GetAsync("dev", EntityCatalog.CapTable, SchemaVersion.V1);
        Assert.Empty(schema.Validate(TestData.Example("cap_table.snapshot.json")));
        await Assert.ThrowsAsync<UnknownSchemaVersionException>(() => registry.GetAsync("stg", EntityCatalog.CapTable, SchemaVersion.V1));
        Assert.All(await ListBucketAsync(context, bucket), n => Assert.StartsWith("env/dev/schemas/", n, StringComparison.Ordinal));
    }
}
