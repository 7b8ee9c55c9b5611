using EccoStudio.Activities.Erasure;
using EccoStudio.Activities.Indices;
using EccoStudio.Activities.Manifests;
using EccoStudio.Activities.Snapshots;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Orchestrations.Erasure;
using EccoStudio.Orchestrations.Tests.Support;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Consistency;
using EccoStudio.Storage.Erasure;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Store;
using EccoStudio.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Orchestrations.Tests.Erasure;

/// <summary>Issue 13 item 4: EraseEntityOrchestrator on a real engine against a versioned bucket of the emulator.</summary>
[Trait("Backend", "InMemory")]
public sealed class EraseEntityTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    private static readonly string[] ErasureActivities = [nameof(InventoryErasureActivity), nameof(WriteErasureRecordActivity), nameof(EraseObjectsActivity)];

    private static EraseEntityInput Erase(string id) => new("dev", "talent", id, "GDPR request 9", "dpo@test", DateTimeOffset.UtcNow);

    [Fact]
    public async Task Erase_EveryStepCrashesOnceAfterItsWork_CompletesAndTheRecordCountsEveryVersion()
    {
        var ledger = new CrashLedger(name => ErasureActivities.Contains(name));
        await using var harness = await WritePathHarness.StartAsync(emulator, ledger.Decorator, bucket: await emulator.CreateBucketAsync(versioning: true, prefix: "erase"));
        await PopulateAsync(harness);
        var versions = (IObjectVersions)harness.Store;
        var before = await VersionsAsync(versions, harness.Bucket);
        var ours = before.Where(v => v.Contains("/TC-1", StringComparison.Ordinal)).ToList();
        var others = before.Where(v => !v.Contains("/TC-1", StringComparison.Ordinal) && !v.Contains("/manifests/", StringComparison.Ordinal)).ToList();

        var done = await harness.WaitAsync(await harness.StartAsync(nameof(EraseEntityOrchestrator), Erase("TC-1"), WritePathHarness.NewInstanceId("erase")));

        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ErrorMessage ?? done.SerializedCustomStatus);
        Assert.Equal(ErasureActivities.Length, ledger.CrashesByActivity.Count); // every erasure activity crashed once after doing its work
        var result = done.ReadOutputAs<EraseEntityResult>()!;
        // The attempt that removed the objects crashed; its retry found nothing left. The record still counts what the entity had.
        Assert.Equal(2, result.VersionsRemoved["history"]);
        Assert.Equal(1, result.VersionsRemoved["manifest_shard"]); // the compacted shard listing TC-1 (and TC-2, listed again by a new compaction)
        Assert.Equal(ours.Count + 1, result.TotalVersions);
        Assert.All(result.Attempts.Values, attempts => Assert.Equal(2, attempts));
        var after = await VersionsAsync(versions, harness.Bucket);
        Assert.DoesNotContain(after, v => v.Contains("/TC-1", StringComparison.Ordinal) && !v.Contains("/logs/erasures/", StringComparison.Ordinal));
        Assert.All(others, v => Assert.Contains(v, after));
        var record = JsonText.ParseObject((await harness.ReadTextAsync(result.Record))!);
        Assert.Equal("completed", record["state"]!.GetValue<string>());
        Assert.Equal(result.TotalVersions, record["total_versions_removed"]!.GetValue<int>());
        Assert.Single(after.Where(v => v.Contains("/logs/erasures/talent/TC-1/", StringComparison.Ordinal)).Select(v => v.Split('#')[0]).Distinct()); // one run, one record
        var report = await new ConsistencyChecker(harness.Storage).CheckAsync("dev", [EntityCatalog.Talent]);
        Assert.True(report.IsConsistent, report.Summary());
    }

    [Fact]
    public async Task Erase_ReconcileRebuildsDerivedObjectsBeforeHistoryGoes_SweepRemovesThemAndCountsThem()
    {
        // A reconcile (verify --repair, a host's startup recovery) between the first steps and the history step folds the
        // history that is still there and writes snapshot, manifest entry and pointers again.
        var reconciled = 0;
        ActivityDecorator decorate = (name, activity, services) => name != nameof(EraseObjectsActivity) ? activity : new BeforeActivity(activity, async input =>
        {
            if (input is EraseObjectsInput { Step: EntityEraser.HistoryStep } erase && Interlocked.Exchange(ref reconciled, 1) == 0)
            {
                var entity = erase.Entity;
                await ActivatorUtilities.CreateInstance<RebuildSnapshotActivity>(services).RunAsync(null!, new RebuildSnapshotInput(entity));
                await ActivatorUtilities.CreateInstance<UpsertManifestEntryActivity>(services).RunAsync(null!, new UpsertManifestEntryInput(entity, "{}", MatchCurrentSnapshot: true));
                await ActivatorUtilities.CreateInstance<RepairIndicesActivity>(services).RunAsync(null!, new RepairIndicesInput(entity));
            }
        });
        await using var harness = await WritePathHarness.StartAsync(emulator, decorate, bucket: await emulator.CreateBucketAsync(versioning: true, prefix: "erase"));
        await PopulateAsync(harness);
        var snapshots = (await VersionsAsync((IObjectVersions)harness.Store, harness.Bucket)).Count(v => v.StartsWith("env/dev/snapshots/talent/TC-1.json#", StringComparison.Ordinal));

        var done = await harness.WaitAsync(await harness.StartAsync(nameof(EraseEntityOrchestrator), Erase("TC-1"), WritePathHarness.NewInstanceId("erase")));

        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ErrorMessage ?? done.SerializedCustomStatus);
        Assert.Equal(1, reconciled);
        var result = done.ReadOutputAs<EraseEntityResult>()!;
        Assert.Equal(snapshots + 1, result.VersionsRemoved["snapshot"]); // the written ones, and the one the reconcile rebuilt, removed by the sweep
        Assert.DoesNotContain(await VersionsAsync((IObjectVersions)harness.Store, harness.Bucket),
            v => v.Contains("/TC-1", StringComparison.Ordinal) && !v.Contains("/logs/erasures/", StringComparison.Ordinal));
        var report = await new ConsistencyChecker(harness.Storage).CheckAsync("dev", [EntityCatalog.Talent]);
        Assert.True(report.IsConsistent, report.Summary());
    }

    [Fact]
    public async Task Erase_EntityWithChangeMarkers_LeavesNoMarkerVersionNamingIt()
    {
        var quick = new ManifestChangeOptions { Margin = TimeSpan.FromMilliseconds(300), AbsentIndexTtl = TimeSpan.Zero };
        await using var harness = await WritePathHarness.StartAsync(emulator, bucket: await emulator.CreateBucketAsync(versioning: true, prefix: "erase"),
            storage: o => o.ManifestChanges = quick);
        await PopulateAsync(harness);
        await Task.Delay(quick.Margin * 2);
        await new ManifestCompactor(harness.Storage).CompactAsync("dev", EntityCatalog.Talent); // now listing changes
        foreach (var (id, updated) in new[] { ("TC-1", "2025-11-04T00:00:00Z"), ("TC-2", "2025-11-04T00:00:00Z"), ("TC-1", "2025-11-05T00:00:00Z") })
        {
            var document = $$"""
                {"id":"{{id}}","entity":"talent","env":"dev","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z","updated_at":"{{updated}}","name":"Person {{id}}","location":"Oslo","skills":["go"]}
                """;
            Assert.Equal(OrchestrationRuntimeStatus.Completed, (await harness.WriteAsync(new WriteEntityInput("dev", "talent", id, document, ChangeKind.Full))).RuntimeStatus);
        }

        var changes = ObjectPaths.ManifestChangesPrefix("dev", EntityCatalog.Talent);
        Assert.Equal(2, (await VersionsAsync((IObjectVersions)harness.Store, harness.Bucket)).Count(v => v.StartsWith(changes, StringComparison.Ordinal) && v.Contains("_TC-1.json#", StringComparison.Ordinal)));

        var done = await harness.WaitAsync(await harness.StartAsync(nameof(EraseEntityOrchestrator), Erase("TC-1"), WritePathHarness.NewInstanceId("erase")));

        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ErrorMessage ?? done.SerializedCustomStatus);
        Assert.Equal(2, done.ReadOutputAs<EraseEntityResult>()!.VersionsRemoved["manifest_change"]);
        var markers = (await VersionsAsync((IObjectVersions)harness.Store, harness.Bucket)).Where(v => v.StartsWith(changes, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(markers, v => v.Contains("TC-1", StringComparison.Ordinal));
        Assert.Single(markers, v => v.Contains("_TC-2.json#", StringComparison.Ordinal));
        Assert.Equal(["TC-2"], (await new ManifestReader(harness.Storage).ReadAllAsync("dev", EntityCatalog.Talent)).Select(e => e["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Erase_UnknownId_FailsAtInventoryWithNothingWritten()
    {
        await using var harness = await WritePathHarness.StartAsync(emulator, bucket: await emulator.CreateBucketAsync(versioning: true, prefix: "erase"));
        await PopulateAsync(harness);
        var before = await VersionsAsync((IObjectVersions)harness.Store, harness.Bucket);

        var done = await harness.WaitAsync(await harness.StartAsync(nameof(EraseEntityOrchestrator), Erase("TC-NONE"), WritePathHarness.NewInstanceId("erase")));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("failed at step inventory after 1 attempt(s)", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("has no objects", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, await VersionsAsync((IObjectVersions)harness.Store, harness.Bucket));
    }

    [Fact]
    public async Task Erase_HistoryUnderLockedRetention_FailsAtInventoryOnceWithNothingDeleted()
    {
        await using var harness = await WritePathHarness.StartAsync(emulator,
            bucket: await emulator.CreateBucketAsync(versioning: true, prefix: "erase", objectRetention: true),
            storage: o => (o.HistoryRetentionDays, o.HistoryRetentionMode) = (30, "Locked"));
        await PopulateAsync(harness);
        var before = await VersionsAsync((IObjectVersions)harness.Store, harness.Bucket);

        var done = await harness.WaitAsync(await harness.StartAsync(nameof(EraseEntityOrchestrator), Erase("TC-1"), WritePathHarness.NewInstanceId("erase")));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("failed at step inventory after 1 attempt(s)", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal); // not retried
        Assert.Contains("dev/talent/TC-1 cannot be erased: 2 of its history versions are under a Locked object retention", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, await VersionsAsync((IObjectVersions)harness.Store, harness.Bucket)); // no delete, no record
    }

    /// <summary>TC-1 written three times (noncurrent versions of snapshot, entry and pointers), TC-2 beside it, manifest compacted.</summary>
    private static async Task PopulateAsync(WritePathHarness harness)
    {
        foreach (var (id, updated, location) in new[] { ("TC-1", "2025-11-02T00:00:00Z", "London"), ("TC-2", "2025-11-02T00:00:00Z", "Arlington"), ("TC-1", "2025-11-03T00:00:00Z", "Paris") })
        {
            var document = $$"""
                {"id":"{{id}}","entity":"talent","env":"dev","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z","updated_at":"{{updated}}","name":"Person {{id}}","location":"{{location}}","skills":["rust"]}
                """;
            Assert.Equal(OrchestrationRuntimeStatus.Completed, (await harness.WriteAsync(new WriteEntityInput("dev", "talent", id, document, ChangeKind.Full))).RuntimeStatus);
        }

        await new Storage.Manifests.ManifestCompactor(harness.Storage).CompactAsync("dev", EntityCatalog.Talent);
    }

    private static async Task<List<string>> VersionsAsync(IObjectVersions versions, string bucket)
    {
        var all = new List<string>();
        string? token = null;
        do
        {
            var page = await versions.ListVersionsAsync(bucket, "", token);
            all.AddRange(page.Objects.Select(o => $"{o.Name}#{o.Generation}"));
            token = page.NextPageToken;
        }
        while (token is not null);

        return all;
    }

    /// <summary>Runs <paramref name="before"/> with the input, then the real activity.</summary>
    private sealed class BeforeActivity(ITaskActivity inner, Func<object?, Task> before) : ITaskActivity
    {
        public Type InputType => inner.InputType;

        public Type OutputType => inner.OutputType;

        public async Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            await before(input);
            return await inner.RunAsync(context, input);
        }
    }
}
