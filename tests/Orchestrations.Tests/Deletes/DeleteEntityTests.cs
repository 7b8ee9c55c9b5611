using System.Globalization;
using EccoStudio.Orchestrations.Deletes;
using EccoStudio.Orchestrations.Tests.Support;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Consistency;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using EccoStudio.Testing;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Orchestrations.Tests.Deletes;

/// <summary>Issue 13 item 3: the delete saga on a real engine against the emulator (faults are injected in front of the store, per harness).</summary>
[Trait("Backend", "InMemory")]
public sealed class DeleteEntityTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2025-11-08T00:00:00Z", CultureInfo.InvariantCulture);

    private static EntityTarget Target(string id) => new("dev", EntityCatalog.Venture, id);

    private static DeleteEntityInput Delete(string id, long? ifMatch = null, DateTimeOffset? at = null) => new("dev", "venture", id, at ?? At, ifMatch, "ops@test");

    [Fact]
    public async Task Delete_LiveVenture_TombstoneAppendedAndSnapshotEntryPointersRemovedHistoryKept()
    {
        await using var harness = await WritePathHarness.StartAsync(emulator);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-DEL", Docs.Venture("V-DEL", "2025-11-06T10:00:00Z")))).RuntimeStatus);
        Assert.NotEmpty(await harness.ListAsync("env/dev/indices/ventures/"));

        var done = await harness.WaitAsync(await harness.StartAsync(nameof(DeleteEntityOrchestrator), Delete("V-DEL"), WritePathHarness.NewInstanceId("del")));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<DeleteEntityResult>()!;
        Assert.True(result.TombstoneCreated && result.SnapshotRemoved && result.ManifestEntryRemoved, $"{result}");
        Assert.Equal(3, result.IndexWrites);
        Assert.Null(await harness.ReadTextAsync(ObjectPaths.Snapshot(Target("V-DEL"))));
        Assert.Null(await harness.ReadTextAsync(ObjectPaths.ManifestEntry(Target("V-DEL"))));
        Assert.Empty(await harness.ListAsync("env/dev/indices/ventures/"));
        var tombstone = JsonText.ParseObject((await harness.ReadTextAsync(result.Tombstone))!);
        Assert.Equal("delete", tombstone["_change"]!.GetValue<string>());
        Assert.Equal("2025-11-08T00:00:00Z", tombstone["updated_at"]!.GetValue<string>());
        Assert.Equal("ops@test", (await harness.ReadAsync(result.Tombstone)).Info.Metadata["ecco-written-by"]);

        var reader = new EntityReader(harness.Storage);
        Assert.Equal("Pilot", (await reader.FoldAsOfAsync(Target("V-DEL"), At.AddDays(-1))).Document!["status"]!.GetValue<string>());
        Assert.Null((await reader.FoldAsOfAsync(Target("V-DEL"), null)).Document);
        var report = await new ConsistencyChecker(harness.Storage).CheckAsync("dev", [EntityCatalog.Venture]);
        Assert.True(report.IsConsistent, report.Summary());

        // Writing the id again starts a new life.
        Assert.Equal(OrchestrationRuntimeStatus.Completed,
            (await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-DEL", Docs.Venture("V-DEL", "2025-11-09T00:00:00Z", status: "Build")))).RuntimeStatus);
        Assert.Equal("Build", (await reader.GetSnapshotAsync(Target("V-DEL")))!.Document["status"]!.GetValue<string>());
        Assert.Equal(["env/dev/indices/ventures/by-lead/Bob/V-DEL.json", "env/dev/indices/ventures/by-next-due/2026-02/V-DEL.json", "env/dev/indices/ventures/by-status/Build/V-DEL.json"],
            await harness.ListAsync("env/dev/indices/ventures/"));
        report = await new ConsistencyChecker(harness.Storage).CheckAsync("dev", [EntityCatalog.Venture]);
        Assert.True(report.IsConsistent, report.Summary());
    }

    [Fact]
    public async Task Delete_PermanentIndexFailure_CompensatedEverythingAsBefore()
    {
        var faults = new StoreFaults();
        await using var harness = await WritePathHarness.StartAsync(emulator, configure: o => o.Retry.MaxAttempts = 2, faults: faults);
        await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-DCOMP", Docs.Venture("V-DCOMP", "2025-11-06T10:00:00Z")));
        var before = await harness.DumpAsync("env/dev/");

        OrchestrationMetadata done;
        faults.FailAlways("env/dev/indices/", StorageOperationKind.Delete);
        try
        {
            done = await harness.WaitAsync(await harness.StartAsync(nameof(DeleteEntityOrchestrator), Delete("V-DCOMP"), WritePathHarness.NewInstanceId("dcomp")));
        }
        finally
        {
            faults.Clear();
        }

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("failed at step indices", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("Compensated: compensation record", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        var after = await harness.DumpAsync("env/dev/");
        static bool Derived(string name) => !name.Contains("/history/", StringComparison.Ordinal);
        Assert.Equal(before.Where(p => Derived(p.Key)), after.Where(p => Derived(p.Key)));
        Assert.Equal(3, after.Keys.Count(k => !Derived(k))); // the write, the tombstone, its compensation
        var report = await new ConsistencyChecker(harness.Storage).CheckAsync("dev", [EntityCatalog.Venture]);
        Assert.True(report.IsConsistent, report.Summary());
    }

    [Fact]
    public async Task Delete_UnknownIdOrStaleIfMatch_FailsWithNothingWritten()
    {
        await using var harness = await WritePathHarness.StartAsync(emulator);
        await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-DPRE", Docs.Venture("V-DPRE", "2025-11-06T10:00:00Z")));
        var before = await harness.DumpAsync("env/dev/");
        var generation = (await harness.ReadAsync(ObjectPaths.Snapshot(Target("V-DPRE")))).Generation;

        var missing = await harness.WaitAsync(await harness.StartAsync(nameof(DeleteEntityOrchestrator), Delete("V-NONE"), WritePathHarness.NewInstanceId("dnone")));
        var stale = await harness.WaitAsync(await harness.StartAsync(nameof(DeleteEntityOrchestrator), Delete("V-DPRE", generation + 1), WritePathHarness.NewInstanceId("dstale")));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, missing.RuntimeStatus);
        Assert.Contains("does not exist", missing.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, stale.RuntimeStatus);
        Assert.Contains("If-Match", stale.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, await harness.DumpAsync("env/dev/"));
    }

    [Fact]
    public async Task Delete_SnapshotStampedAfterAcceptance_TombstoneStillFoldsLast()
    {
        await using var harness = await WritePathHarness.StartAsync(emulator);
        await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-DCLK", Docs.Venture("V-DCLK", "2025-12-01T00:00:00Z")));

        var done = await harness.WaitAsync(await harness.StartAsync(nameof(DeleteEntityOrchestrator), Delete("V-DCLK"), WritePathHarness.NewInstanceId("dclk")));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var key = HistoryRecord.FromBody(JsonText.ParseObject((await harness.ReadTextAsync(done.ReadOutputAs<DeleteEntityResult>()!.Tombstone))!), Ulid.NewUlid()).Key;
        Assert.True(key.UpdatedAt > DateTimeOffset.Parse("2025-12-01T00:00:00Z", CultureInfo.InvariantCulture));
        Assert.Null(await harness.ReadTextAsync(ObjectPaths.Snapshot(Target("V-DCLK"))));
    }
}
