using System.Text.Json;
using EccoStudio.GcsEmulator.Faults;
using EccoStudio.Orchestrations.Steps;
using EccoStudio.Orchestrations.Tests.Support;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Snapshots;
using EccoStudio.Storage.Store;
using EccoStudio.Testing;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Orchestrations.Tests;

/// <summary>Fault injection is emulator-wide: this class has its own emulator and runs its tests one at a time.</summary>
[Trait("Backend", "InMemory")]
public sealed class WriteEntityFaultTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    [Theory]
    [InlineData(WriteSteps.History, "env/dev/ventures/V-T503/history/")]
    [InlineData(WriteSteps.Snapshot, "env/dev/snapshots/")]
    [InlineData(WriteSteps.Manifest, "env/dev/manifests/")]
    [InlineData(WriteSteps.Indices, "env/dev/indices/")]
    public async Task Write_Transient503OnOneStep_IsRetriedAndCompletesWithOneHistoryObject(string step, string prefix)
    {
        // Reads are failed by the emulator (its prefix rules see object names in read URLs); writes in front of the
        // store (uploads carry the name only in the body). Both fail every call under the step's prefix until cleared.
        var faults = new StoreFaults();
        await using var harness = await WritePathHarness.StartAsync(emulator, faults: faults);
        emulator.Server.Faults.Stats.Reset();
        emulator.Server.Faults.Update(new FaultSettings { Rate503 = 1.0, ObjectPrefix = prefix });
        faults.FailAlways(prefix, StorageOperationKind.Put, StorageOperationKind.Delete);
        string id;
        try
        {
            id = await harness.StartAsync(nameof(WriteEntityOrchestrator),
                new WriteEntityInput("dev", "venture", "V-T503", Docs.Venture("V-T503", "2025-11-06T10:00:00Z")), WritePathHarness.NewInstanceId("t503"));

            // Two storage-level retries per attempt: wait for at least two failed attempts of the step.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (emulator.Server.Faults.Stats.Snapshot().ServiceUnavailable + faults.Injected < 3 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            var running = await harness.Client.GetInstanceAsync(id, getInputsAndOutputs: true);
            var status = JsonSerializer.Deserialize<WriteStatus>(running!.SerializedCustomStatus!)!;
            Assert.Equal(step, status.Step);
            Assert.Contains("Google.GoogleApiException", status.LastError, StringComparison.Ordinal);
        }
        finally
        {
            emulator.Server.Faults.Update(new FaultSettings());
            faults.Clear();
        }

        var done = await harness.WaitAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<WriteEntityResult>()!;
        Assert.True(result.Attempts[step] >= 2, $"{step} attempts: {result.Attempts[step]}");
        Assert.Single(await harness.ListAsync("env/dev/ventures/V-T503/history/"));
        Assert.Equal(Docs.Venture("V-T503", "2025-11-06T10:00:00Z"), await harness.ReadTextAsync("env/dev/snapshots/ventures/V-T503.json"));
        Assert.NotNull(await harness.ReadTextAsync("env/dev/manifests/ventures/entries/V-T503.json"));
        Assert.Equal(
            ["env/dev/indices/ventures/by-lead/Bob/V-T503.json", "env/dev/indices/ventures/by-next-due/2026-02/V-T503.json", "env/dev/indices/ventures/by-status/Pilot/V-T503.json"],
            await harness.ListAsync("env/dev/indices/"));
    }

    [Fact]
    public async Task Write_PermanentIndexFailure_CompensatesAndLeavesEverythingAsBefore()
    {
        var faults = new StoreFaults();
        await using var harness = await WritePathHarness.StartAsync(emulator, configure: o => o.Retry.MaxAttempts = 3, faults: faults);
        var first = await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-COMP", Docs.Venture("V-COMP", "2025-11-06T10:00:00Z")));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, first.RuntimeStatus);
        var before = await harness.DumpAsync("env/dev/");
        Assert.Contains("env/dev/indices/ventures/by-status/Pilot/V-COMP.json", before.Keys);

        OrchestrationMetadata done;
        faults.FailAlways("env/dev/indices/", StorageOperationKind.Put);
        try
        {
            var patch = Docs.VenturePatch("V-COMP", "2025-11-06T11:00:00Z", new() { ["status"] = "Build", ["lead"] = "Alice" });
            done = await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-COMP", patch, ChangeKind.MergePatch));
        }
        finally
        {
            faults.Clear();
        }

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        var reason = done.FailureDetails!.ErrorMessage;
        Assert.Contains("failed at step indices after 3 attempt(s)", reason, StringComparison.Ordinal);
        Assert.Contains("Compensated: compensation record", reason, StringComparison.Ordinal);
        Assert.Contains(", snapshot restored, manifest entry restored, 0 pointer write(s) undone.", reason, StringComparison.Ordinal);
        var status = JsonSerializer.Deserialize<WriteStatus>(done.SerializedCustomStatus!)!;
        Assert.Equal(WriteSteps.Failed, status.Step);
        Assert.StartsWith("done:", status.Compensation, StringComparison.Ordinal);

        // Snapshot (bytes + ecco-last-applied), manifest entry and pointers exactly as before; history grew by the
        // failed record and its compensation record.
        var after = await harness.DumpAsync("env/dev/");
        var history = after.Keys.Where(k => k.Contains("/history/", StringComparison.Ordinal)).ToList();
        Assert.Equal(before.Where(p => !p.Key.Contains("/history/", StringComparison.Ordinal)),
            after.Where(p => !p.Key.Contains("/history/", StringComparison.Ordinal)));
        Assert.Equal(3, history.Count);
        var failed = status.HistoryObject!;
        Assert.Contains(failed, history);
        var compensation = history.Single(h => !before.ContainsKey(h) && h != failed);
        var record = JsonText.ParseObject(after[compensation]);
        Assert.Equal("compensation", record["_change"]!.GetValue<string>());
        Assert.Equal(failed[^31..^5], record["_compensates"]!.GetValue<string>());

        // A rebuild from history (compensated change skipped) agrees with the restored snapshot.
        var rebuilt = await new SnapshotWriter(harness.Storage).RebuildAsync(new Storage.Layout.EntityTarget("dev", Storage.Catalog.EntityCatalog.Venture, "V-COMP"));
        Assert.False(rebuilt!.Changed);
    }

    [Fact]
    public async Task Write_PermanentSnapshotFailure_CompensatesWithRecordAndNoVisibleChange()
    {
        var faults = new StoreFaults();
        await using var harness = await WritePathHarness.StartAsync(emulator, configure: o => o.Retry.MaxAttempts = 2, faults: faults);
        faults.FailAlways("env/dev/snapshots/", StorageOperationKind.Put);
        OrchestrationMetadata done;
        try
        {
            done = await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-SNAP", Docs.Venture("V-SNAP", "2025-11-06T10:00:00Z")));
        }
        finally
        {
            faults.Clear();
        }

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("failed at step snapshot after 2 attempt(s)", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        var all = await harness.ListAsync("env/dev/");
        Assert.Equal(2, all.Count(n => n.Contains("/history/", StringComparison.Ordinal)));
        Assert.All(all, n => Assert.Contains("/history/", n, StringComparison.Ordinal));
    }
}
