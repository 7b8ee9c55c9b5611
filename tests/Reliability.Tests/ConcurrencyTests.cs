using EccoStudio.Orchestrations.Writes;
using EccoStudio.Reliability.Tests.Support;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Reliability.Tests;

/// <summary>Issue 7 item 4: many writers on one id; two hosts (distinct engines) writing one bucket at once.</summary>
public sealed class ConcurrencyTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task FiftyParallelWriters_OneId_ConvergeToTheFoldOfAllFiftyOneRecords()
    {
        await using var host = await LocalHost.StartAsync();
        var driver = new WriteDriver(host.Http);
        var random = new Random(11);
        var created = await driver.SendAsync(new WriteOp("HOT1", false, Ventures.Full(random, 0), "hot-0"));
        Assert.True(created.Accepted, created.Problem);
        await Instances.WaitAllAsync(host.Client, [created.InstanceId!], Timeout);

        var ops = Enumerable.Range(1, 50).Select(i => new WriteOp("HOT1", i % 2 == 0, i % 2 == 0 ? Ventures.Patch(random, i) : Ventures.Full(random, i), $"hot-{i}")).ToList();
        var outcomes = await Task.WhenAll(ops.Select(op => driver.SendAsync(op)));
        Assert.All(outcomes, o => Assert.True(o.Accepted, $"{o.Status} {o.Problem}"));
        var states = await Instances.WaitAllAsync(host.Client, outcomes.Select(o => o.InstanceId!), Timeout);

        Assert.All(states.Values, s => Assert.Equal(OrchestrationRuntimeStatus.Completed, s?.RuntimeStatus));
        var audit = await HistoryAudit.ReadAsync(host.Storage, "dev", EntityCatalog.Venture, ["HOT1"]);
        Assert.Equal(51, audit.ChangeRecords.Count);
        var written = states.Values.Select(s => s!.ReadOutputAs<WriteEntityResult>()!.HistoryObject).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(audit.ChangeRecords.ToHashSet(StringComparer.Ordinal), written);
        var target = new EntityTarget("dev", EntityCatalog.Venture, "HOT1");
        var reader = new EntityReader(host.Storage);
        var fold = HistoryFold.Fold(await reader.ReadAllHistoryAsync(target), migrations: host.Storage.Chain(EntityCatalog.Venture));
        var snapshot = await reader.GetSnapshotAsync(target);
        Assert.Equal(51, fold.AppliedCount);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(fold.Document, snapshot!.Document));
        Assert.Equal(fold.LastApplied, snapshot.LastApplied);
        var report = await host.Checker().CheckAsync("dev", [EntityCatalog.Venture]);
        Assert.True(report.IsConsistent, report.Summary());
        Assert.Empty(await Instances.NotEndedAsync(host.Client));
    }

    [Fact]
    public async Task TwoHosts_SameBucketAtOnce_ConvergeWithEveryWriteLandedOnce()
    {
        await using var a = await LocalHost.StartAsync();
        await using var b = await LocalHost.StartAsync(shareGcsOf: a);
        var random = new Random(23);
        var ids = Enumerable.Range(1, 10).Select(i => $"TWO{i:D2}").ToList();
        var driverA = new WriteDriver(a.Http);
        var driverB = new WriteDriver(b.Http);
        var first = await Task.WhenAll(ids.Select((id, i) => driverA.SendAsync(new WriteOp(id, false, Ventures.Full(random, i), $"two-{id}-0"))));
        Assert.All(first, o => Assert.True(o.Accepted, o.Problem));
        await Instances.WaitAllAsync(a.Client, first.Select(o => o.InstanceId!), Timeout);

        var ops = Enumerable.Range(100, 80).Select(i =>
        {
            var id = ids[random.Next(ids.Count)];
            var patch = random.Next(2) == 0;
            return (OnA: i % 2 == 0, Op: new WriteOp(id, patch, patch ? Ventures.Patch(random, i) : Ventures.Full(random, i), $"two-{id}-{i}"));
        }).ToList();
        var outcomes = await Task.WhenAll(ops.Select(async o => (o.OnA, Outcome: await (o.OnA ? driverA : driverB).SendAsync(o.Op))));
        Assert.All(outcomes, o => Assert.True(o.Outcome.Accepted, o.Outcome.Problem));
        var statesA = await Instances.WaitAllAsync(a.Client, outcomes.Where(o => o.OnA).Select(o => o.Outcome.InstanceId!), Timeout);
        var statesB = await Instances.WaitAllAsync(b.Client, outcomes.Where(o => !o.OnA).Select(o => o.Outcome.InstanceId!), Timeout);

        Assert.All(statesA.Values.Concat(statesB.Values), s => Assert.Equal(OrchestrationRuntimeStatus.Completed, s?.RuntimeStatus));
        Assert.True(statesA.Count > 0 && statesB.Count > 0);
        var audit = await HistoryAudit.ReadAsync(a.Storage, "dev", EntityCatalog.Venture, ids);
        Assert.Equal(ids.Count + ops.Count, audit.ChangeRecords.Count);
        Assert.Empty(audit.CompensationRecords);
        var report = await a.Checker().CheckAsync("dev", [EntityCatalog.Venture]);
        Assert.True(report.IsConsistent, report.Summary());
        Assert.Equal(ids.Count, report.EntitiesChecked);
        Assert.Empty(await Instances.NotEndedAsync(a.Client));
        Assert.Empty(await Instances.NotEndedAsync(b.Client));
    }
}
