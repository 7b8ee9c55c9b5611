using EccoStudio.Orchestrations.Batches;
using EccoStudio.Orchestrations.Compaction;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Orchestrations.Tests.Support;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Writes;
using EccoStudio.Testing;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Orchestrations.Tests;

[Trait("Backend", "InMemory")]
public sealed class ManifestAndBatchTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    [Fact]
    public async Task Compact_WhileWritesContinue_LosesNoEntry()
    {
        await using var harness = await WritePathHarness.StartAsync(emulator);
        var pipeline = new EntityWritePipeline(harness.Storage);
        for (var i = 0; i < 60; i++)
        {
            var id = $"V-{i:D3}";
            await pipeline.WriteAsync(new EntityTarget("dev", EntityCatalog.Venture, id), JsonText.ParseObject(Docs.Venture(id, "2025-11-06T10:00:00Z")), Ulid.NewUlid());
        }

        var compaction = await harness.StartAsync(nameof(CompactManifestOrchestrator), new CompactManifestInput("dev", "venture", ShardSize: 10),
            WritePathHarness.NewInstanceId("compact"));
        var writes = new List<string>();
        for (var i = 50; i < 100; i++)
        {
            var id = $"V-{i:D3}";
            writes.Add(await harness.StartAsync(nameof(WriteEntityOrchestrator),
                new WriteEntityInput("dev", "venture", id, Docs.Venture(id, "2025-11-06T11:00:00Z", status: "Build")), WritePathHarness.NewInstanceId("cw")));
        }

        var compacted = await harness.WaitAsync(compaction);
        Assert.True(compacted.RuntimeStatus == OrchestrationRuntimeStatus.Completed, compacted.FailureDetails?.ErrorMessage);
        var result = compacted.ReadOutputAs<CompactManifestResult>()!;
        Assert.True(result.Published);
        Assert.True(result.Shards >= 6, $"shards: {result.Shards}");
        foreach (var id in writes)
        {
            Assert.Equal(OrchestrationRuntimeStatus.Completed, (await harness.WaitAsync(id)).RuntimeStatus);
        }

        async Task AssertAllListedAsync()
        {
            var listed = await new ManifestReader(harness.Storage).ReadAllAsync("dev", EntityCatalog.Venture);
            Assert.Equal(Enumerable.Range(0, 100).Select(i => $"V-{i:D3}"), listed.Select(e => e["id"]!.GetValue<string>()));
            Assert.All(listed.Where(e => string.CompareOrdinal(e["id"]!.GetValue<string>(), "V-050") >= 0),
                e => Assert.Equal("2025-11-06T11:00:00Z", e["updated_at"]!.GetValue<string>()));
        }

        await AssertAllListedAsync();

        // Compact again (nothing running): every entry is now in the shards; the header counts them all.
        var second = await harness.WaitAsync(await harness.StartAsync(nameof(CompactManifestOrchestrator), new CompactManifestInput("dev", "venture", ShardSize: 30),
            InstanceIds.Compaction("dev", "venture")));
        Assert.Equal(100, second.ReadOutputAs<CompactManifestResult>()!.Entries);
        var index = (await harness.ReadTextAsync(ObjectPaths.ManifestIndex("dev", EntityCatalog.Venture)))!;
        Assert.Contains("\"count\":100", index.Split('\n')[0], StringComparison.Ordinal);
        Assert.Equal(4, index.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains("\"type\":\"shard\"", StringComparison.Ordinal)));
        await AssertAllListedAsync();
        Assert.Empty(await harness.ListAsync("env/dev/tmp/"));
    }

    [Fact]
    public async Task Compact_ChangesListedWhileWritesContinue_LosesNoEntryAndKeepsTwoShardSets()
    {
        var quick = new ManifestChangeOptions { Margin = TimeSpan.FromMilliseconds(300), AbsentIndexTtl = TimeSpan.Zero };
        await using var harness = await WritePathHarness.StartAsync(emulator, storage: o => o.ManifestChanges = quick);
        var pipeline = new EntityWritePipeline(harness.Storage);
        for (var i = 0; i < 40; i++)
        {
            var id = $"V-{i:D3}";
            await pipeline.WriteAsync(new EntityTarget("dev", EntityCatalog.Venture, id), JsonText.ParseObject(Docs.Venture(id, "2025-11-06T10:00:00Z")), Ulid.NewUlid());
        }

        async Task<CompactManifestResult> CompactAsync() =>
            (await harness.WaitAsync(await harness.StartAsync(nameof(CompactManifestOrchestrator), new CompactManifestInput("dev", "venture", ShardSize: 10),
                WritePathHarness.NewInstanceId("compact")))).ReadOutputAs<CompactManifestResult>()!;

        var first = await CompactAsync();
        await Task.Delay(quick.Margin * 2);
        var second = await CompactAsync();
        var index = ObjectPaths.ManifestIndex("dev", EntityCatalog.Venture);
        Assert.Contains("\"changes\":", (await harness.ReadTextAsync(index))!.Split('\n')[0], StringComparison.Ordinal);

        // A third compaction while 20 ventures change and 10 are added through the orchestrated write path.
        var compaction = await harness.StartAsync(nameof(CompactManifestOrchestrator), new CompactManifestInput("dev", "venture", ShardSize: 10),
            WritePathHarness.NewInstanceId("compact"));
        var writes = new List<string>();
        for (var i = 20; i < 50; i++)
        {
            var id = $"V-{i:D3}";
            writes.Add(await harness.StartAsync(nameof(WriteEntityOrchestrator),
                new WriteEntityInput("dev", "venture", id, Docs.Venture(id, "2025-11-06T11:00:00Z", status: "Build")), WritePathHarness.NewInstanceId("cw")));
        }

        var third = (await harness.WaitAsync(compaction)).ReadOutputAs<CompactManifestResult>()!;
        Assert.True(third.Published);
        foreach (var id in writes)
        {
            Assert.Equal(OrchestrationRuntimeStatus.Completed, (await harness.WaitAsync(id)).RuntimeStatus);
        }

        async Task AssertAllListedAsync()
        {
            var listed = await new ManifestReader(harness.Storage).ReadAllAsync("dev", EntityCatalog.Venture);
            Assert.Equal(Enumerable.Range(0, 50).Select(i => $"V-{i:D3}"), listed.Select(e => e["id"]!.GetValue<string>()));
            Assert.All(listed.Where(e => string.CompareOrdinal(e["id"]!.GetValue<string>(), "V-020") >= 0),
                e => Assert.Equal("2025-11-06T11:00:00Z", e["updated_at"]!.GetValue<string>()));
        }

        await AssertAllListedAsync();
        var sets = (await harness.ListAsync("env/dev/manifests/ventures/shards/")).Select(n => n.Split('/')[^2]).Distinct().ToList();
        Assert.Equal([second.CompactionId, third.CompactionId], sets.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(first.CompactionId, sets);

        await Task.Delay(quick.Margin * 2);
        var fourth = await CompactAsync();
        await AssertAllListedAsync();
        Assert.Equal([third.CompactionId, fourth.CompactionId],
            (await harness.ListAsync("env/dev/manifests/ventures/shards/")).Select(n => n.Split('/')[^2]).Distinct().Order(StringComparer.Ordinal));
        Assert.Empty(await harness.ListAsync("env/dev/tmp/"));
    }

    [Fact]
    public async Task Compact_Eternal_RunsAgainAfterItsTimer()
    {
        await using var harness = await WritePathHarness.StartAsync(emulator);
        await new EntityWritePipeline(harness.Storage).WriteAsync(new EntityTarget("dev", EntityCatalog.Idea, "I-1"), JsonText.ParseObject(Docs.Idea("I-1", "2025-11-06T10:00:00Z")), Ulid.NewUlid());
        var id = InstanceIds.Compaction("dev", "idea");
        await harness.StartAsync(nameof(CompactManifestOrchestrator), new CompactManifestInput("dev", "idea", Every: TimeSpan.FromMilliseconds(200)), id);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        OrchestrationMetadata? state = null;
        while (DateTime.UtcNow < deadline)
        {
            state = await harness.Client.GetInstanceAsync(id, getInputsAndOutputs: true);
            if (state?.ReadInputAs<CompactManifestInput>()?.Run >= 2)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.True(state?.ReadInputAs<CompactManifestInput>()?.Run >= 2, "the eternal compaction did not continue as new twice");
        await harness.Client.TerminateInstanceAsync(id);
        Assert.Contains("\"count\":1", (await harness.ReadTextAsync(ObjectPaths.ManifestIndex("dev", EntityCatalog.Idea)))!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_500Writes_CompleteWithPerItemResults()
    {
        await using var harness = await WritePathHarness.StartAsync(emulator);
        var items = Enumerable.Range(1, 500).Select(i => new WriteEntityInput("dev", "idea", $"I-{i:D4}", Docs.Idea($"I-{i:D4}", "2025-11-06T10:00:00Z"))).ToList();
        items.Insert(250, new WriteEntityInput("dev", "idea", "I-BAD", Docs.Idea("I-BAD", "2025-11-06T10:00:00Z").Replace("\"entity\":\"idea\"", "\"entity\":\"venture\"", StringComparison.Ordinal)));

        var done = await harness.WaitAsync(await harness.StartAsync(nameof(BatchWriteOrchestrator), new BatchWriteInput(items, MaxParallelism: 50),
            WritePathHarness.NewInstanceId("batch")), TimeSpan.FromMinutes(8));

        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ErrorMessage);
        var result = done.ReadOutputAs<BatchWriteResult>()!;
        Assert.Equal(500, result.Succeeded);
        Assert.Equal(1, result.Failed);
        Assert.Equal(Enumerable.Range(0, 501), result.Items.Select(r => r.Index));
        var bad = result.Items[250];
        Assert.False(bad.Succeeded);
        Assert.Contains("validate", bad.Error, StringComparison.Ordinal);
        Assert.All(result.Items.Where(r => r.Index != 250), r => Assert.StartsWith("env/dev/ideas/I-", r.HistoryObject, StringComparison.Ordinal));
        Assert.Equal(500, (await harness.ListAsync("env/dev/snapshots/ideas/")).Count);
        Assert.Equal(500, (await new ManifestReader(harness.Storage).ReadAllAsync("dev", EntityCatalog.Idea)).Count);
        Assert.Equal(500, (await harness.ListAsync("env/dev/ideas/")).Count(n => n.Contains("/history/", StringComparison.Ordinal)));
    }
}
