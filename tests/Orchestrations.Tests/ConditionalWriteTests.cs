using System.Text.Json.Nodes;
using EccoStudio.Orchestrations.Tests.Support;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Consistency;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Snapshots;
using EccoStudio.Storage.Writes;
using EccoStudio.Testing;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Orchestrations.Tests;

/// <summary>
/// A conditional write whose condition held at acceptance (the HTTP layer checked it) but not at the snapshot swap:
/// another writer slipped in between. The write must end Failed with the precondition reason and no visible effect.
/// </summary>
[Trait("Backend", "InMemory")]
public sealed class ConditionalWriteTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    private static readonly EntityTarget Target = new("dev", EntityCatalog.Venture, "V-SLIP");

    [Fact]
    public async Task Write_WriterSlipsInBeforeSwap_EndsFailedWithPreconditionAndNewerDocumentIntact()
    {
        await using var harness = await WritePathHarness.StartAsync(emulator);
        var first = await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-SLIP", Docs.Venture("V-SLIP", "2025-11-06T10:00:00Z")));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, first.RuntimeStatus);
        var accepted = (await new EntityReader(harness.Storage).GetSnapshotAsync(Target))!.Generation;

        // The writer that slips in between acceptance (If-Match: "accepted") and the swap.
        var newer = Docs.Venture("V-SLIP", "2025-11-06T11:00:00Z", status: "Scale", lead: "Cy");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-SLIP", newer))).RuntimeStatus);
        var derivedBefore = (await harness.DumpAsync("env/dev/")).Where(p => !p.Key.Contains("/history/", StringComparison.Ordinal)).ToList();

        var done = await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-SLIP", Docs.Venture("V-SLIP", "2025-11-06T12:00:00Z", status: "Build"),
            Precondition: new SnapshotPrecondition(MatchGenerations: [accepted])));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        var reason = done.FailureDetails!.ErrorMessage;
        Assert.Contains("failed at step snapshot after 1 attempt(s)", reason, StringComparison.Ordinal);
        Assert.Contains("Precondition failed", reason, StringComparison.Ordinal);
        Assert.Contains($"If-Match \"{accepted}\" does not match", reason, StringComparison.Ordinal);
        Assert.Contains("Compensated: compensation record", reason, StringComparison.Ordinal);

        // Snapshot, manifest entry and pointers are the newer writer's, byte for byte.
        var after = await harness.DumpAsync("env/dev/");
        Assert.Equal(derivedBefore, after.Where(p => !p.Key.Contains("/history/", StringComparison.Ordinal)).ToList());
        Assert.Equal(newer, await harness.ReadTextAsync("env/dev/snapshots/ventures/V-SLIP.json"));

        // History: the two completed writes, the refused one and its compensation record.
        var history = after.Where(p => p.Key.Contains("/history/", StringComparison.Ordinal)).Select(p => JsonText.ParseObject(p.Value)).ToList();
        Assert.Equal(4, history.Count);
        Assert.Single(history, h => h["_change"]?.GetValue<string>() == "compensation");

        var report = await new ConsistencyChecker(harness.Storage).CheckAsync("dev", [EntityCatalog.Venture]);
        Assert.True(report.IsConsistent, report.Summary());
    }

    [Fact]
    public async Task Write_CreateOnlyButEntityAppeared_EndsFailedAndKeepsTheOther()
    {
        await using var harness = await WritePathHarness.StartAsync(emulator);
        var other = Docs.Venture("V-CREATE", "2025-11-06T10:00:00Z", lead: "Dee");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-CREATE", other))).RuntimeStatus);

        var done = await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-CREATE", Docs.Venture("V-CREATE", "2025-11-06T10:30:00Z"),
            Precondition: new SnapshotPrecondition(MustNotExist: true)));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("If-None-Match: * requires that the entity does not exist", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(other, await harness.ReadTextAsync("env/dev/snapshots/ventures/V-CREATE.json"));
        var report = await new ConsistencyChecker(harness.Storage).CheckAsync("dev", [EntityCatalog.Venture]);
        Assert.True(report.IsConsistent, report.Summary());
    }

    [Fact]
    public async Task Write_ConditionStillHolds_Completes()
    {
        await using var harness = await WritePathHarness.StartAsync(emulator);
        await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-HOLD", Docs.Venture("V-HOLD", "2025-11-06T10:00:00Z")));
        var generation = (await new EntityReader(harness.Storage).GetSnapshotAsync(new EntityTarget("dev", EntityCatalog.Venture, "V-HOLD")))!.Generation;
        var done = await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-HOLD", Docs.Venture("V-HOLD", "2025-11-06T11:00:00Z", status: "Scale"),
            Precondition: new SnapshotPrecondition(MatchGenerations: [generation])));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("Scale", JsonNode.Parse((await harness.ReadTextAsync("env/dev/snapshots/ventures/V-HOLD.json"))!)!["status"]!.GetValue<string>());
    }
}
