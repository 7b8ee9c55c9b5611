using EccoStudio.Host.Commands;
using EccoStudio.Host.Verify;
using EccoStudio.Reliability.Tests.Support;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Consistency;
using EccoStudio.Storage.Layout;

namespace EccoStudio.Reliability.Tests;

/// <summary>Issue 7 item 1 end to end: <c>verify</c> against a running local host's emulator finds drift, <c>--repair</c> fixes it.</summary>
public sealed class VerifyCommandTests
{
    [Fact]
    public async Task Verify_DriftThenRepair_ExitOneNamesDifferencesThenRepairsToExitZero()
    {
        await using var host = await LocalHost.StartAsync();
        var driver = new WriteDriver(host.Http);
        var random = new Random(9);
        var writes = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => driver.SendAsync(new WriteOp($"VER{i}", false, Ventures.Full(random, i), $"ver-{i}"))));
        await Instances.WaitAllAsync(host.Client, writes.Select(w => w.InstanceId!), TimeSpan.FromMinutes(1));
        var bucket = host.Bucket;
        var store = host.Storage.Store;
        await store.DeleteAsync(bucket, ObjectPaths.Snapshot(new EntityTarget("dev", EntityCatalog.Venture, "VER1")), null);
        await store.DeleteAsync(bucket, ObjectPaths.ManifestEntry(new EntityTarget("dev", EntityCatalog.Venture, "VER2")), null);
        var pointers = await store.ListAsync(bucket, ObjectPaths.IndexFolder("dev", EntityCatalog.Venture, "by-lead"));
        await store.DeleteAsync(bucket, pointers.Objects.First(o => o.Name.EndsWith("/VER3.json", StringComparison.Ordinal)).Name, null);
        var args = new[] { "verify", "--env", "dev", "--entity", "ventures", "--gcs", host.Host.GcsBaseUri.ToString(), "--bucket", bucket };
        var parsed = HostCommandLine.Create((_, _) => Task.FromResult(0)).Parse(args);
        Assert.Empty(parsed.Errors);
        var settings = VerifyCommandLine.ToSettings(parsed);

        var output = new StringWriter();
        var progress = new StringWriter();
        var drift = await VerifyRunner.RunAsync(settings, output, progress, interactive: true, CancellationToken.None);

        Assert.Equal(VerifyRunner.Drift, drift);
        Assert.Contains("SnapshotMissing: 1", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("ManifestEntryMissing: 1", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("PointerMissing: 1", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("3 entities", output.ToString().Split("drift:")[1], StringComparison.Ordinal);
        Assert.Contains("\rventure", progress.ToString(), StringComparison.Ordinal);

        var repairedOutput = new StringWriter();
        var repaired = await VerifyRunner.RunAsync(settings with { Repair = true }, repairedOutput, new StringWriter(), interactive: false, CancellationToken.None);

        Assert.Equal(0, repaired);
        Assert.Contains("after repair", repairedOutput.ToString(), StringComparison.Ordinal);
        var after = await new ConsistencyChecker(host.Storage).CheckAsync("dev", [EntityCatalog.Venture]);
        Assert.True(after.IsConsistent, after.Summary());
        Assert.Equal(4, after.EntitiesChecked);
    }

    [Fact]
    public async Task DurableReconciler_HostEngine_StartsOneReconcilePerDriftedEntityAndConverges()
    {
        await using var host = await LocalHost.StartAsync();
        var driver = new WriteDriver(host.Http);
        var random = new Random(4);
        var writes = await Task.WhenAll(Enumerable.Range(1, 3).Select(i => driver.SendAsync(new WriteOp($"REC{i}", false, Ventures.Full(random, i), $"rec-{i}"))));
        await Instances.WaitAllAsync(host.Client, writes.Select(w => w.InstanceId!), TimeSpan.FromMinutes(1));
        await host.Storage.Store.DeleteAsync(host.Bucket, ObjectPaths.Snapshot(new EntityTarget("dev", EntityCatalog.Venture, "REC2")), null);
        var reconciler = new DurableReconciler(host.Client);

        var result = await ConsistencyRepair.RunAsync(host.Checker(), reconciler, "dev", [EntityCatalog.Venture]);

        Assert.Equal(1, result.Before.DriftedEntityCount);
        Assert.True(result.After.IsConsistent, result.After.Summary());
        Assert.Equal(1, result.Reconciled);
        Assert.StartsWith("reconcile:dev:venture:REC2:verify-", Assert.Single(reconciler.Started), StringComparison.Ordinal);
    }
}
