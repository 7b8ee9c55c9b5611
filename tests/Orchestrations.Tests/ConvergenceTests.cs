using System.Text.Json.Nodes;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Orchestrations.Reconcile;
using EccoStudio.Orchestrations.Tests.Support;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using EccoStudio.Testing;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Orchestrations.Tests;

[Trait("Backend", "InMemory")]
public sealed class ConvergenceTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    [Fact]
    public async Task Write_FiftyConcurrentWritesToOneId_Converge()
    {
        await using var harness = await WritePathHarness.StartAsync(emulator);
        var target = new EntityTarget("dev", EntityCatalog.Venture, "V-RACE");
        var created = await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-RACE", Docs.Venture("V-RACE", "2025-11-06T10:00:00Z")));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, created.RuntimeStatus);

        var ids = new List<string>();
        for (var i = 1; i <= 50; i++)
        {
            var patch = Docs.VenturePatch("V-RACE", $"2025-11-06T10:{i / 60:D2}:{i % 60:D2}Z".Replace("10:00:", "10:01:", StringComparison.Ordinal),
                new() { ["status"] = i % 2 == 0 ? "Build" : "Pilot", ["lead"] = $"Lead{i % 3}", ["kpis"] = new JsonObject { [$"k{i}"] = i } });
            ids.Add(await harness.StartAsync(nameof(WriteEntityOrchestrator), new WriteEntityInput("dev", "venture", "V-RACE", patch, ChangeKind.MergePatch),
                WritePathHarness.NewInstanceId("race")));
        }

        foreach (var id in ids)
        {
            var done = await harness.WaitAsync(id);
            Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ErrorMessage);
        }

        var snapshot = (await new EntityReader(harness.Storage).GetSnapshotAsync(target))!;
        Assert.Equal("2025-11-06T10:01:50Z", snapshot.Document["updated_at"]!.GetValue<string>());
        Assert.Equal("Build", snapshot.Document["status"]!.GetValue<string>());
        Assert.Equal("Lead2", snapshot.Document["lead"]!.GetValue<string>());
        for (var i = 1; i <= 50; i++)
        {
            Assert.Equal(i, snapshot.Document["kpis"]![$"k{i}"]!.GetValue<int>());
        }

        var fold = await new EntityReader(harness.Storage).FoldAsOfAsync(target, null);
        Assert.True(JsonNode.DeepEquals(fold.Document, snapshot.Document));
        Assert.Equal(fold.LastApplied, snapshot.LastApplied);
        Assert.Equal(51, (await harness.ListAsync(ObjectPaths.HistoryPrefix(target))).Count);
        Assert.Equal(JsonText.ToText(ManifestWriter.Entry(target, snapshot.Document)), await harness.ReadTextAsync(ObjectPaths.ManifestEntry(target)));

        // Pointers: exactly those of the final snapshot.
        var expected = new IndexPlanner(harness.Storage.Indices).AllPointers(target, snapshot.Document).Select(p => p.ObjectName).Order(StringComparer.Ordinal);
        Assert.Equal(expected, await harness.ListAsync("env/dev/indices/ventures/"));
    }

    [Fact]
    public async Task Reconcile_OutOfOrderHistory_ProducesTheInOrderState_AndIsThenANoOp()
    {
        await using var inOrder = await WritePathHarness.StartAsync(emulator);
        await using var outOfOrder = await WritePathHarness.StartAsync(emulator);
        var target = new EntityTarget("dev", EntityCatalog.Venture, "V-REC");
        string[] changes =
        [
            Docs.Venture("V-REC", "2025-11-06T10:00:00Z"),
            Docs.VenturePatch("V-REC", "2025-11-06T11:00:00Z", new() { ["status"] = "Build" }),
            Docs.VenturePatch("V-REC", "2025-11-06T12:00:00Z", new() { ["lead"] = "Alice", ["kpis"] = new JsonObject { ["MRR"] = 15000 } }),
        ];
        for (var i = 0; i < changes.Length; i++)
        {
            var done = await inOrder.WriteAsync(new WriteEntityInput("dev", "venture", "V-REC", changes[i], i == 0 ? ChangeKind.Full : ChangeKind.MergePatch));
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        }

        // The same history objects arrive in the other bucket newest first (as a bridge would see them), bypassing the write path.
        foreach (var name in (await inOrder.ListAsync(ObjectPaths.HistoryPrefix(target))).AsEnumerable().Reverse())
        {
            var stored = await inOrder.ReadAsync(name);
            await outOfOrder.Store.PutAsync(outOfOrder.Bucket, name, stored.Content, PutOptions.CreateOnly);
        }

        // Three reconciles of the same entity at once (different triggers): CAS-only, they converge.
        var ids = new List<string>();
        foreach (var trigger in new[] { "a", "b", "c" })
        {
            ids.Add(await outOfOrder.StartAsync(nameof(ReconcileEntityOrchestrator), new ReconcileEntityInput("dev", "venture", "V-REC", trigger),
                InstanceIds.Reconcile("dev", "venture", "V-REC", trigger)));
        }

        foreach (var id in ids)
        {
            var done = await outOfOrder.WaitAsync(id);
            Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ErrorMessage);
        }

        // Snapshot (bytes + last-applied key), manifest entry and history identical; the same pointers with the same
        // targets and display fields (a pointer's updated_at is the snapshot's when it was last written, which differs
        // between writing step by step and rebuilding at once).
        static SortedDictionary<string, string> Normalise(SortedDictionary<string, string> dump) => new(
            dump.ToDictionary(p => p.Key, p =>
            {
                if (!p.Key.Contains("/indices/", StringComparison.Ordinal))
                {
                    return p.Value;
                }

                var pointer = JsonText.ParseObject(p.Value);
                pointer.Remove("updated_at");
                return JsonText.ToText(pointer);
            }),
            StringComparer.Ordinal);
        var expected = Normalise(await inOrder.DumpAsync("env/dev/"));
        var actual = Normalise(await outOfOrder.DumpAsync("env/dev/"));
        Assert.Equal(expected, actual);

        // Already current: a reconcile writes nothing.
        var generations = (await inOrder.Store.ListAllAsync(inOrder.Bucket, "env/dev/")).ToDictionary(o => o.Name, o => o.Generation);
        var again = await inOrder.WaitAsync(await inOrder.StartAsync(nameof(ReconcileEntityOrchestrator), new ReconcileEntityInput("dev", "venture", "V-REC"),
            InstanceIds.Reconcile("dev", "venture", "V-REC", null)));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, again.RuntimeStatus);
        var noop = again.ReadOutputAs<ReconcileEntityResult>()!;
        Assert.Equal((true, false, false, 0, 0), (noop.HasHistory, noop.SnapshotChanged, noop.ManifestWritten, noop.IndexWrites, noop.Alerts.Count));
        Assert.Equal(generations, (await inOrder.Store.ListAllAsync(inOrder.Bucket, "env/dev/")).ToDictionary(o => o.Name, o => o.Generation));
    }
}

[Trait("Backend", "InMemory")]
public sealed class ReconcileRepairTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    [Fact]
    public async Task Reconcile_NewestChangeCompensatedByOps_RollsSnapshotEntryAndPointersBack()
    {
        await using var harness = await WritePathHarness.StartAsync(emulator);
        var target = new EntityTarget("dev", EntityCatalog.Venture, "V-OPS");
        Assert.Equal(OrchestrationRuntimeStatus.Completed,
            (await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-OPS", Docs.Venture("V-OPS", "2025-11-06T10:00:00Z")))).RuntimeStatus);
        var before = await harness.DumpAsync("env/dev/");
        var second = await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-OPS",
            Docs.VenturePatch("V-OPS", "2025-11-06T11:00:00Z", new() { ["status"] = "Build" }), ChangeKind.MergePatch));
        var secondObject = second.ReadOutputAs<WriteEntityResult>()!.HistoryObject;

        // Ops cancel the second change by appending a compensation record, then reconcile.
        var envelope = Storage.Envelope.EnvelopeReader.Read(JsonText.ParseObject(Docs.Venture("V-OPS", "2025-11-06T10:00:00Z")), target);
        var compensation = ChangeValidator.PrepareCompensation(target, envelope, DateTimeOffset.Parse("2025-11-07T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            Ulid.NewUlid(), ObjectNameParser.Parse(secondObject).HistoryUlid!.Value, "ops: wrong status");
        await new HistoryWriter(harness.Storage).AppendAsync(compensation);
        var done = await harness.WaitAsync(await harness.StartAsync(nameof(ReconcileEntityOrchestrator), new ReconcileEntityInput("dev", "venture", "V-OPS", "ops"),
            InstanceIds.Reconcile("dev", "venture", "V-OPS", "ops")));
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ErrorMessage);

        var after = await harness.DumpAsync("env/dev/");
        foreach (var name in new[] { ObjectPaths.Snapshot(target), ObjectPaths.ManifestEntry(target), "env/dev/indices/ventures/by-status/Pilot/V-OPS.json" })
        {
            Assert.Equal(before[name], after[name]);
        }

        Assert.DoesNotContain("env/dev/indices/ventures/by-status/Build/V-OPS.json", after.Keys);
    }
}
