using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Consistency;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Snapshots;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using EccoStudio.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EccoStudio.Storage.Tests.Consistency;

public class ConsistencyCheckerTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    private static readonly IndexCatalog Indices = IndexCatalog.Load(Path.Combine(TestData.SchemasFolder, "indices.json"));
    private static readonly EntityKind[] Ventures = [EntityCatalog.Venture];

    private async Task<(StorageContext Context, string Bucket)> SeededAsync(int count = 3)
    {
        var client = emulator.CreateClient();
        var bucket = emulator.NewBucketName("cc");
        await client.CreateBucketAsync(emulator.ProjectId, bucket);
        var store = new GcsObjectStore(client, new ObjectStoreOptions(), new StorageOperationCounter(), NullLogger<GcsObjectStore>.Instance);
        var context = new StorageContext(store, new ObjectPaths(new StorageLayoutOptions { BucketName = bucket }),
            EntitySchemaRegistry.FromFolder(TestData.SchemasFolder), Indices);
        var pipeline = new EntityWritePipeline(context);
        for (var i = 1; i <= count; i++)
        {
            var id = $"V{i:D3}";
            await pipeline.WriteAsync(Target(id), Venture(id, "2025-11-01T10:00:00Z", "Pilot"), Ulid.NewUlid());
            await pipeline.WriteAsync(Target(id), JsonText.ParseObject("""{"updated_at":"2025-11-02T10:00:00Z","status":"Build"}"""), Ulid.NewUlid(),
                ChangeKind.MergePatch);
        }

        return (context, bucket);
    }

    private static EntityTarget Target(string id) => new("dev", EntityCatalog.Venture, id);

    private static JsonObject Venture(string id, string updatedAt, string status) => JsonText.ParseObject($$"""
        {"id":"{{id}}","entity":"venture","env":"dev","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z",
         "updated_at":"{{updatedAt}}","lead":"Bob","status":"{{status}}",
         "milestones":[{"milestoneId":"M1","title":"MVP","dueDate":"2026-02-01","status":"InProgress"}]}
        """);

    private static Task<StoredObjectInfo> Put(StorageContext context, string bucket, string name, string json) =>
        context.Store.PutAsync(bucket, name, Encoding.UTF8.GetBytes(json), new PutOptions());

    [Fact]
    public async Task CheckAsync_CleanWrites_ReportsNoDriftAndCountsEverything()
    {
        var (context, _) = await SeededAsync();

        var report = await new ConsistencyChecker(context).CheckAsync("dev", Ventures);

        Assert.True(report.IsConsistent, report.Summary());
        Assert.Equal(3, report.EntitiesChecked);
        Assert.Equal(6, report.HistoryRecordsRead);
        Assert.Equal(3, report.SnapshotsChecked);
        Assert.Equal(3, report.ManifestEntriesChecked);
        Assert.Equal(9, report.PointersChecked); // by-status, by-lead, by-next-due per venture
    }

    [Fact]
    public async Task CheckAsync_SnapshotMissingOrStale_ReportsEachWithTheDifferingField()
    {
        var (context, bucket) = await SeededAsync();
        await context.Store.DeleteAsync(bucket, ObjectPaths.Snapshot(Target("V001")), null);
        var stale = Venture("V002", "2025-11-02T10:00:00Z", "Scale");
        await Put(context, bucket, ObjectPaths.Snapshot(Target("V002")), stale.ToJsonString());

        var report = await new ConsistencyChecker(context).CheckAsync("dev", Ventures);

        Assert.Equal(1, report.DriftCounts[DriftKind.SnapshotMissing]);
        Assert.Equal(1, report.DriftCounts[DriftKind.SnapshotStale]);
        Assert.Contains(report.FirstDifferences, d => d.Kind == DriftKind.SnapshotStale && d.Id == "V002" && d.Detail.Contains("/status", StringComparison.Ordinal));
        Assert.Equal(["V001", "V002"], report.DriftedEntities.Select(t => t.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CheckAsync_EntryChangedWithoutMarkerWhileChangesListed_ReportsManifestChangeMissing()
    {
        var (seeded, bucket) = await SeededAsync();
        var context = seeded with { ManifestChanges = new ManifestChangeOptions { Margin = TimeSpan.FromMilliseconds(200), AbsentIndexTtl = TimeSpan.Zero } };
        await new ManifestCompactor(context).CompactAsync("dev", EntityCatalog.Venture);
        await Task.Delay(500);
        await new ManifestCompactor(context).CompactAsync("dev", EntityCatalog.Venture);
        var entry = ObjectPaths.ManifestEntry(Target("V002"));
        // Rewritten as it is, but behind the write path's back (by hand, or a restore copying an entry): no marker.
        await context.Store.PutAsync(bucket, entry, (await context.Store.GetAsync(bucket, entry))!.Content, new PutOptions());

        var report = await new ConsistencyChecker(context).CheckAsync("dev", Ventures);

        Assert.Equal(1, report.DriftCounts[DriftKind.ManifestChangeMissing]);
        Assert.Equal(1, report.DriftedEntityCount);
        await new ManifestEntryRestorer(context).EnsureMatchesSnapshotAsync(Target("V002")); // what reconcile runs
        Assert.True((await new ConsistencyChecker(context).CheckAsync("dev", Ventures)).IsConsistent);
    }

    [Fact]
    public async Task CheckAsync_ManifestEntryMissingOrStale_Reported()
    {
        var (context, bucket) = await SeededAsync();
        await context.Store.DeleteAsync(bucket, ObjectPaths.ManifestEntry(Target("V001")), null);
        await Put(context, bucket, ObjectPaths.ManifestEntry(Target("V003")),
            """{"ptr":"env/dev/snapshots/ventures/V003.json","id":"V003","updated_at":"2025-11-02T10:00:00Z","status":"Pilot","lead":"Bob"}""");

        var report = await new ConsistencyChecker(context).CheckAsync("dev", Ventures);

        Assert.Equal(1, report.DriftCounts[DriftKind.ManifestEntryMissing]);
        Assert.Equal(1, report.DriftCounts[DriftKind.ManifestEntryStale]);
        Assert.Equal(2, report.DriftedEntityCount);
    }

    [Fact]
    public async Task CheckAsync_PointerMissingStaleWrongKeyAndOrphan_EachReported()
    {
        var (context, bucket) = await SeededAsync();
        var index = ObjectPaths.IndexFolder("dev", EntityCatalog.Venture, "by-status");
        await context.Store.DeleteAsync(bucket, index + "Build/V001.json", null);
        await Put(context, bucket, index + "Build/V002.json", """{"ptr":"env/dev/snapshots/ventures/V002.json","id":"V002","updated_at":"x","lead":"Alice"}""");
        await Put(context, bucket, index + "Pilot/V003.json", """{"ptr":"env/dev/snapshots/ventures/V003.json","id":"V003","updated_at":"x","lead":"Bob"}""");
        await Put(context, bucket, index + "Pilot/V999.json", """{"ptr":"env/dev/snapshots/ventures/V999.json","id":"V999","updated_at":"x","lead":"Bob"}""");

        var report = await new ConsistencyChecker(context).CheckAsync("dev", Ventures);

        Assert.Equal(1, report.DriftCounts[DriftKind.PointerMissing]);
        Assert.Equal(1, report.DriftCounts[DriftKind.PointerStale]);
        Assert.Equal(1, report.DriftCounts[DriftKind.PointerWrongKey]);
        Assert.Equal(1, report.DriftCounts[DriftKind.PointerOrphan]);
        Assert.Contains(report.FirstDifferences, d => d.Kind == DriftKind.PointerWrongKey && d.ObjectName.EndsWith("Pilot/V003.json", StringComparison.Ordinal));
        Assert.Contains(report.FirstDifferences, d => d.Kind == DriftKind.PointerOrphan && d.Id == "V999");
    }

    [Fact]
    public async Task CheckAsync_OrphanSnapshotEntryAndUnreadableHistory_Reported()
    {
        var (context, bucket) = await SeededAsync();
        await Put(context, bucket, ObjectPaths.Snapshot(Target("GHOST")), Venture("GHOST", "2025-11-01T10:00:00Z", "Pilot").ToJsonString());
        await Put(context, bucket, ObjectPaths.ManifestEntry(Target("GHOST2")), """{"ptr":"x","id":"GHOST2","updated_at":"2025-11-01T10:00:00Z"}""");
        var bad = ObjectPaths.History(Target("V001"), new HistoryKey(DateTimeOffset.Parse("2025-11-03T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), Ulid.NewUlid()));
        await Put(context, bucket, bad, "{not json");

        var report = await new ConsistencyChecker(context).CheckAsync("dev", Ventures);

        Assert.Equal(1, report.DriftCounts[DriftKind.SnapshotOrphan]);
        Assert.Equal(1, report.DriftCounts[DriftKind.ManifestEntryOrphan]);
        Assert.Equal(1, report.DriftCounts[DriftKind.HistoryUnreadable]);
        Assert.Contains(report.FirstDifferences, d => d.Kind == DriftKind.HistoryUnreadable && d.ObjectName == bad);
    }

    [Fact]
    public async Task CheckAsync_SmallPages_StreamsEveryEntityAcrossPages()
    {
        var (context, bucket) = await SeededAsync(count: 7);
        await context.Store.DeleteAsync(bucket, ObjectPaths.Snapshot(Target("V007")), null);

        var report = await new ConsistencyChecker(context, new ConsistencyCheckOptions { PageSize = 2, Parallelism = 2, ExpectedCacheCapacity = 2 })
            .CheckAsync("dev", Ventures);

        Assert.Equal(7, report.EntitiesChecked);
        Assert.Equal(1, report.TotalDifferences);
        Assert.Equal("V007", Assert.Single(report.DriftedEntities).Id);
    }

    [Fact]
    public async Task CheckAsync_ManyDifferences_KeepsOnlyTheFirstVerbatimButCountsAll()
    {
        var (context, bucket) = await SeededAsync(count: 4);
        foreach (var id in new[] { "V001", "V002", "V003", "V004" })
        {
            await context.Store.DeleteAsync(bucket, ObjectPaths.ManifestEntry(Target(id)), null);
        }

        var report = await new ConsistencyChecker(context, new ConsistencyCheckOptions { MaxReportedDifferences = 2 }).CheckAsync("dev", Ventures);

        Assert.Equal(4, report.TotalDifferences);
        Assert.Equal(2, report.FirstDifferences.Count);
        Assert.Contains("ManifestEntryMissing: 4", report.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepairRunAsync_DriftedEntities_ReconciledUntilConsistent()
    {
        var (context, bucket) = await SeededAsync();
        await context.Store.DeleteAsync(bucket, ObjectPaths.Snapshot(Target("V001")), null);
        await context.Store.DeleteAsync(bucket, ObjectPaths.ManifestEntry(Target("V002")), null);
        await Put(context, bucket, ObjectPaths.IndexFolder("dev", EntityCatalog.Venture, "by-status") + "Pilot/V003.json",
            """{"ptr":"env/dev/snapshots/ventures/V003.json","id":"V003","updated_at":"x"}""");
        var reconciler = new StorageReconciler(context);

        var result = await ConsistencyRepair.RunAsync(new ConsistencyChecker(context), reconciler, "dev", Ventures);

        Assert.Equal(3, result.Before.DriftedEntityCount);
        Assert.True(result.After.IsConsistent, result.After.Summary());
        Assert.Equal(["V001", "V002", "V003"], reconciler.Seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ApplyAsync_LateFullDocumentAfterNewerPatch_SnapshotEqualsFold()
    {
        // Found by the full-size chaos run: a full document whose snapshot step ran after a NEWER merge patch had been
        // folded onto the older state was treated as a no-op, leaving the patch applied to the wrong base.
        var (context, _) = await SeededAsync(count: 1);
        var target = Target("V001");
        var late = await new ChangeValidator(context).PrepareAsync(target, Venture("V001", "2025-11-03T10:00:00Z", "Launch"), Ulid.NewUlid());
        await new HistoryWriter(context).AppendAsync(late);
        var pipeline = new EntityWritePipeline(context);
        await pipeline.WriteAsync(target, JsonText.ParseObject("""{"updated_at":"2025-11-04T10:00:00Z","lead":"Dana"}"""), Ulid.NewUlid(), ChangeKind.MergePatch);

        var applied = await new SnapshotWriter(context).ApplyAsync(target, late.Record);
        await new ManifestWriter(context).UpsertEntryAsync(target, applied.After);
        await new IndexWriter(context).SyncAsync(target, applied.Before, applied.After, applied.Generation);

        var snapshot = (await new EntityReader(context).GetSnapshotAsync(target))!;
        Assert.Equal("Launch", snapshot.Document["status"]!.GetValue<string>());
        Assert.Equal("Dana", snapshot.Document["lead"]!.GetValue<string>());
        var report = await new ConsistencyChecker(context).CheckAsync("dev", Ventures);
        Assert.True(report.IsConsistent, report.Summary());
    }

    /// <summary>What ReconcileEntityOrchestrator does, without an engine: rebuild, manifest entry, index repair.</summary>
    private sealed class StorageReconciler(StorageContext context) : IEntityReconciler
    {
        public List<string> Seen { get; } = [];

        public async Task<int> ReconcileAsync(IReadOnlyCollection<EntityTarget> targets, CancellationToken cancellationToken)
        {
            foreach (var target in targets)
            {
                Seen.Add(target.Id);
                var rebuilt = await new SnapshotWriter(context).RebuildAsync(target, cancellationToken);
                if (rebuilt is not null)
                {
                    await new ManifestWriter(context).UpsertEntryAsync(target, rebuilt.After, cancellationToken);
                }

                await new IndexRepairer(context).RepairAsync(target, cancellationToken);
            }

            return targets.Count;
        }
    }
}
