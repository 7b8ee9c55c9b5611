using EccoStudio.Activities.Alerts;
using EccoStudio.Activities.History;
using EccoStudio.Activities.Indices;
using EccoStudio.Activities.Manifests;
using EccoStudio.Activities.Rules;
using EccoStudio.Activities.Snapshots;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Orchestrations.Tests.Support;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Writes;
using EccoStudio.Testing;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Orchestrations.Tests;

/// <summary>
/// Every activity runs twice: a wrapper registered under the activity's own name runs the real activity (its GCS
/// calls happen) and then throws once, as a worker crash after the storage call would; the retry runs it again.
/// The end state must equal a run without crashes.
/// </summary>
[Trait("Backend", "InMemory")]
public sealed class ActivityReplayTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    private static async Task RunScenarioAsync(WritePathHarness harness)
    {
        async Task Write(string entity, string id, string document, ChangeKind change = ChangeKind.Full)
        {
            var done = await harness.WriteAsync(new WriteEntityInput("dev", entity, id, document, change));
            Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ErrorMessage);
        }

        await Write("rule", "RULE-PILOT", Rules.PilotAlert("RULE-PILOT"));
        await Write("venture", "V-RE", Docs.Venture("V-RE", "2025-11-06T10:00:00Z"));
        await Write("venture", "V-RE", Docs.VenturePatch("V-RE", "2025-11-06T11:00:00Z", new() { ["status"] = "Build", ["lead"] = "Alice" }), ChangeKind.MergePatch);
        await Write("venture", "V-RE2", Docs.Venture("V-RE2", "2025-11-06T12:00:00Z", lead: "Alice"));
    }

    /// <summary>Everything except history object names (their ULIDs differ per run) and the delivery record (owner ids).</summary>
    private static async Task<(SortedDictionary<string, string> Objects, List<string> HistoryBodies)> StateAsync(WritePathHarness harness)
    {
        var all = await harness.DumpAsync("env/dev/");
        var history = all.Where(p => p.Key.Contains("/history/", StringComparison.Ordinal)).Select(p => p.Value).Order(StringComparer.Ordinal).ToList();
        var rest = new SortedDictionary<string, string>(
            all.Where(p => !p.Key.Contains("/history/", StringComparison.Ordinal) && !p.Key.StartsWith("env/dev/logs/", StringComparison.Ordinal))
                .ToDictionary(p => p.Key, p => p.Value.Split(" @")[0] + (p.Value.Contains(" @", StringComparison.Ordinal) ? " @" + p.Value.Split(" @")[1].Split('|')[0] : string.Empty)),
            StringComparer.Ordinal);
        return (rest, history);
    }

    [Fact]
    public async Task EveryActivity_CrashAfterItsWorkThenRetried_ChangesNothing()
    {
        await using var referenceHook = new WebhookReceiver();
        await using var crashHook = new WebhookReceiver();
        var ledger = new CrashLedger();

        await using (var reference = await WritePathHarness.StartAsync(emulator, webhooks: Rules.Hook(referenceHook.Url)))
        await using (var crashing = await WritePathHarness.StartAsync(emulator, ledger.Decorator, webhooks: Rules.Hook(crashHook.Url)))
        {
            await RunScenarioAsync(reference);
            await RunScenarioAsync(crashing);

            foreach (var activity in new[]
            {
                nameof(ValidateChangeActivity), nameof(AppendHistoryActivity), nameof(ApplySnapshotActivity), nameof(UpsertManifestEntryActivity),
                nameof(SyncIndicesActivity), nameof(EvaluateRulesActivity), nameof(DeliverAlertActivity),
            })
            {
                Assert.True(ledger.CrashesByActivity.TryGetValue(activity, out var n) && n > 0, $"{activity} never crashed");
            }

            var expected = await StateAsync(reference);
            var actual = await StateAsync(crashing);
            var diff = expected.Objects.Keys.Union(actual.Objects.Keys)
                .Where(k => !expected.Objects.TryGetValue(k, out var e) || !actual.Objects.TryGetValue(k, out var a) || e != a)
                .Select(k => $"{k}: {expected.Objects.GetValueOrDefault(k)} <> {actual.Objects.GetValueOrDefault(k)}").ToList();
            Assert.True(diff.Count == 0, string.Join("\n", diff));
            Assert.Equal(expected.HistoryBodies, actual.HistoryBodies);
            Assert.Equal(4, actual.HistoryBodies.Count);
            // Two alerts (V-RE and V-RE2 in Pilot), each posted exactly once, as without crashes.
            Assert.Equal(["{\"text\":\"V-RE is in Pilot\"}", "{\"text\":\"V-RE2 is in Pilot\"}"], crashHook.Requests.Select(r => r.Body).Order(StringComparer.Ordinal));
            Assert.Equal(referenceHook.Requests.Select(r => r.Key).Order(StringComparer.Ordinal), crashHook.Requests.Select(r => r.Key).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task CompensationActivities_CrashAfterTheirWorkThenRetried_StillRestoreExactly()
    {
        var ledger = new CrashLedger();
        var faults = new StoreFaults();
        await using var harness = await WritePathHarness.StartAsync(emulator, ledger.Decorator, o => o.Retry.MaxAttempts = 3, faults: faults);
        var first = await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-RC", Docs.Venture("V-RC", "2025-11-06T10:00:00Z")));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, first.RuntimeStatus);
        var before = (await harness.DumpAsync("env/dev/")).Where(p => !p.Key.Contains("/history/", StringComparison.Ordinal)).ToList();

        OrchestrationMetadata done;
        faults.FailAlways("env/dev/indices/ventures/by-status/Build/", Storage.Store.StorageOperationKind.Put);
        try
        {
            var patch = Docs.VenturePatch("V-RC", "2025-11-06T11:00:00Z", new() { ["status"] = "Build" });
            done = await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-RC", patch, ChangeKind.MergePatch));
        }
        finally
        {
            faults.Clear();
        }

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        foreach (var activity in new[] { nameof(AppendCompensationActivity), nameof(RestoreSnapshotActivity), nameof(RestoreManifestEntryActivity) })
        {
            Assert.True(ledger.CrashesByActivity.TryGetValue(activity, out var n) && n > 0, $"{activity} never crashed");
        }

        var after = (await harness.DumpAsync("env/dev/")).Where(p => !p.Key.Contains("/history/", StringComparison.Ordinal)).ToList();
        Assert.Equal(before, after);
        Assert.Equal(3, (await harness.ListAsync("env/dev/ventures/V-RC/history/")).Count);
    }
}

/// <summary>The reconcile and compaction activities, each crashing once after its work.</summary>
[Trait("Backend", "InMemory")]
public sealed class MaintenanceReplayTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    [Fact]
    public async Task ReconcileAndCompaction_EveryActivityCrashesOnce_SameOutcome()
    {
        var ledger = new CrashLedger(name => name is nameof(RebuildSnapshotActivity) or nameof(UpsertManifestEntryActivity) or nameof(RepairIndicesActivity)
            or nameof(BeginCompactionActivity) or nameof(WriteManifestShardActivity) or nameof(FinishCompactionActivity));
        await using var harness = await WritePathHarness.StartAsync(emulator, ledger.Decorator);
        var pipeline = new Storage.Writes.EntityWritePipeline(harness.Storage);
        for (var i = 0; i < 12; i++)
        {
            var id = $"V-M{i:D2}";
            await pipeline.WriteAsync(new Storage.Layout.EntityTarget("dev", Storage.Catalog.EntityCatalog.Venture, id),
                JsonText.ParseObject(Docs.Venture(id, "2025-11-06T10:00:00Z")), Ulid.NewUlid());
        }

        // A history object dropped in by another tool: the snapshot, entry and pointers lag behind.
        var late = Docs.VenturePatch("V-M00", "2025-11-06T11:00:00Z", new() { ["status"] = "Build", ["_change"] = "merge-patch" });
        await harness.Store.PutAsync(harness.Bucket, $"env/dev/ventures/V-M00/history/2025/11/06/2025-11-06T11:00:00Z_{Ulid.NewUlid()}.json",
            System.Text.Encoding.UTF8.GetBytes(late), Storage.Store.PutOptions.CreateOnly);

        var reconcile = await harness.WaitAsync(await harness.StartAsync(nameof(Reconcile.ReconcileEntityOrchestrator),
            new Reconcile.ReconcileEntityInput("dev", "venture", "V-M00", "late"), InstanceIds.Reconcile("dev", "venture", "V-M00", "late")));
        Assert.True(reconcile.RuntimeStatus == OrchestrationRuntimeStatus.Completed, reconcile.FailureDetails?.ErrorMessage);
        Assert.Contains("\"status\":\"Build\"", await harness.ReadTextAsync("env/dev/snapshots/ventures/V-M00.json"), StringComparison.Ordinal);
        Assert.Contains("\"status\":\"Build\"", await harness.ReadTextAsync("env/dev/manifests/ventures/entries/V-M00.json"), StringComparison.Ordinal);
        Assert.NotNull(await harness.ReadTextAsync("env/dev/indices/ventures/by-status/Build/V-M00.json"));
        Assert.Null(await harness.ReadTextAsync("env/dev/indices/ventures/by-status/Pilot/V-M00.json"));

        var compaction = await harness.WaitAsync(await harness.StartAsync(nameof(Compaction.CompactManifestOrchestrator),
            new Compaction.CompactManifestInput("dev", "venture", ShardSize: 5), WritePathHarness.NewInstanceId("compact")));
        Assert.True(compaction.RuntimeStatus == OrchestrationRuntimeStatus.Completed, compaction.FailureDetails?.ErrorMessage);
        var result = compaction.ReadOutputAs<Compaction.CompactManifestResult>()!;
        Assert.Equal((3, 12, true), (result.Shards, result.Entries, result.Published));
        Assert.Equal(3, (await harness.ListAsync("env/dev/manifests/ventures/shards/")).Count);
        Assert.Empty(await harness.ListAsync("env/dev/tmp/"));
        Assert.Equal(12, (await new Storage.Manifests.ManifestReader(harness.Storage).ReadAllAsync("dev", Storage.Catalog.EntityCatalog.Venture)).Count);
        Assert.Equal(6, ledger.CrashesByActivity.Count);
    }
}
