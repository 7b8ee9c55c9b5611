using System.Text;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Recovery;
using EccoStudio.Storage.Store;
using EccoStudio.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace EccoStudio.Storage.Tests.Recovery;

public sealed class RestorePlannerTests(GcsEmulatorFixture emulator, ITestOutputHelper log) : IClassFixture<GcsEmulatorFixture>
{
    private static readonly DateTimeOffset T = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly RestoreScope Env = new("dev");
    private const string Name = "env/dev/snapshots/ventures/V1.json";

    private static StoredObjectInfo Version(long generation, int createdMinutes, int? deletedMinutes, string crc = "AAAA") =>
        new("b", Name, generation, 1, 10, null, null, new Dictionary<string, string>())
        {
            Created = T.AddMinutes(createdMinutes),
            Deleted = deletedMinutes is { } d ? T.AddMinutes(d) : null,
            Crc32c = crc,
            Md5Hash = crc,
        };

    [Fact]
    public void Decide_EachCase_ActionFollowsWhatWasLiveAtTAndNow()
    {
        var atT = Version(1, -5, null);
        Assert.Equal(RestoreAction.Keep, RestorePlanner.Decide(Env, Name, atT, atT)!.Action);
        Assert.Equal(RestoreAction.BringBack, RestorePlanner.Decide(Env, Name, Version(1, -5, 3), null)!.Action);
        Assert.Equal(RestoreAction.Revert, RestorePlanner.Decide(Env, Name, Version(1, -5, 3), Version(2, 3, null, "BBBB"))!.Action);
        Assert.Equal(RestoreAction.Keep, RestorePlanner.Decide(Env, Name, Version(1, -5, 3), Version(2, 3, null))!.Action); // a restored copy
        Assert.Equal(RestoreAction.Remove, RestorePlanner.Decide(Env, Name, null, Version(2, 3, null))!.Action);
        Assert.Null(RestorePlanner.Decide(Env, Name, null, null));
        Assert.Null(RestorePlanner.Decide(Env, "env/dev/logs/erasures/x.json", null, Version(2, 3, null)));
        Assert.Null(RestorePlanner.Decide(new RestoreScope("dev", EntityCatalog.Idea), Name, null, Version(2, 3, null)));
    }

    [Fact]
    public void WasLiveAt_Boundaries_CreatedAtOrBeforeAndDeletedAfter()
    {
        Assert.True(RestorePlanner.WasLiveAt(Version(1, 0, null), T));
        Assert.True(RestorePlanner.WasLiveAt(Version(1, -1, 1), T));
        Assert.False(RestorePlanner.WasLiveAt(Version(1, -1, 0), T)); // replaced exactly at T: its successor was live
        Assert.False(RestorePlanner.WasLiveAt(Version(1, 1, null), T));
    }

    [Fact]
    public async Task PlanAsync_TenThousandObjectsDeletedThenRestored_AllBackHoldingOnePageAtATime()
    {
        const int Count = 10_000;
        var bucket = await emulator.CreateBucketAsync(versioning: true, prefix: "mem");
        var store = new GcsObjectStore(emulator.CreateClient(), new ObjectStoreOptions(), new StorageOperationCounter(), NullLogger<GcsObjectStore>.Instance);
        var names = Enumerable.Range(0, Count).Select(i => ObjectPaths.Snapshot(new EntityTarget("dev", EntityCatalog.Venture, $"M{i:D5}"))).ToList();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (name, ct) =>
            await store.PutAsync(bucket, name, Encoding.UTF8.GetBytes($$"""{"id":"{{name}}"}"""), PutOptions.CreateOnly, ct));
        await Task.Delay(20);
        var asOf = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (name, ct) => await store.DeleteAsync(bucket, name, null, ct));

        var planner = new RestorePlanner(store, pageSize: 1000);
        var applier = new RestoreApplier(store, store);
        var tally = new RestoreTally();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        await Parallel.ForEachAsync(planner.PlanAsync(bucket, Env, asOf), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (step, ct) =>
        {
            tally.Plan(step);
            tally.Applied(await applier.ApplyAsync(bucket, step, ct));
            if (tally.Steps % 500 == 0)
            {
                Interlocked.Exchange(ref peak, Math.Max(Interlocked.Read(ref peak), GC.GetTotalMemory(false) - baseline));
            }
        });

        Assert.Equal(Count, tally.Planned(RestoreAction.BringBack));
        Assert.Equal(Count, tally.Outcome(RestoreOutcome.Copied));
        Assert.Equal(Count, (await store.ListAllAsync(bucket, "env/dev/")).Count);
        Assert.True(planner.PeakVersionsHeld <= 1000, $"held {planner.PeakVersionsHeld} versions at once");
        log.WriteLine($"restore of {Count} objects: at most {planner.PeakVersionsHeld} versions held by the planner; managed heap growth peak {peak / (1024 * 1024.0):F1} MiB (includes the in-process emulator's copies)");
    }
}
