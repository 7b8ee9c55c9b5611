using System.Text;
using EccoStudio.Storage.Analytics;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;
using EccoStudio.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EccoStudio.Storage.Tests.Analytics;

/// <summary><see cref="SnapshotExporter"/> over the emulator: paging, order, one line per object.</summary>
public sealed class SnapshotExporterTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    [Fact]
    public async Task ExportAsync_SeveralPages_EveryObjectOnceInIdOrderOneLineEach()
    {
        var (store, bucket) = await StoreAsync();
        var ids = new[] { "A1", "A2", "B1", "B2", "C1" };
        foreach (var id in ids.Reverse())
        {
            await store.PutAsync(bucket, ObjectPaths.Snapshot(new EntityTarget("dev", EntityCatalog.Idea, id)), Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","entity":"idea"}"""), new PutOptions());
        }

        // Not a snapshot of this kind: a nested name, another kind's folder, another env.
        await store.PutAsync(bucket, "env/dev/snapshots/ideas/nested/X.json", "{}"u8.ToArray(), new PutOptions());
        await store.PutAsync(bucket, ObjectPaths.Snapshot(new EntityTarget("dev", EntityCatalog.Venture, "V1")), "{}"u8.ToArray(), new PutOptions());
        await store.PutAsync(bucket, ObjectPaths.Snapshot(new EntityTarget("stg", EntityCatalog.Idea, "S1")), "{}"u8.ToArray(), new PutOptions());
        using var destination = new MemoryStream();
        var reports = new List<long>();

        var export = await new SnapshotExporter(store, pageSize: 2, parallelism: 2)
            .ExportAsync(bucket, "dev", EntityCatalog.Idea, destination, new SyncProgress(reports.Add));

        Assert.Equal(string.Concat(ids.Select(id => $$"""{"id":"{{id}}","entity":"idea"}""" + "\n")), Encoding.UTF8.GetString(destination.ToArray()));
        Assert.Equal(5, export.Rows);
        Assert.Equal(destination.Length, export.Bytes);
        Assert.Equal([2, 4, 5], reports.Where(r => r > 0).Distinct());
    }

    [Fact]
    public async Task ExportAsync_ObjectEditedWithLineBreaks_WrittenAsOneCompactLine()
    {
        var (store, bucket) = await StoreAsync();
        await store.PutAsync(bucket, ObjectPaths.Snapshot(new EntityTarget("dev", EntityCatalog.Idea, "I1")), "{\r\n  \"id\": \"I1\",\n  \"tags\": [1, 2]\n}\n"u8.ToArray(), new PutOptions());
        using var destination = new MemoryStream();

        var export = await new SnapshotExporter(store).ExportAsync(bucket, "dev", EntityCatalog.Idea, destination);

        Assert.Equal("{\"id\":\"I1\",\"tags\":[1,2]}\n", Encoding.UTF8.GetString(destination.ToArray()));
        Assert.Equal(1, export.Rows);
    }

    private async Task<(GcsObjectStore Store, string Bucket)> StoreAsync()
    {
        var bucket = await emulator.CreateBucketAsync(prefix: "sx");
        return (new GcsObjectStore(emulator.CreateClient(), new ObjectStoreOptions(), new StorageOperationCounter(), NullLogger<GcsObjectStore>.Instance), bucket);
    }

    /// <summary>Reports on the caller's thread (<see cref="Progress{T}"/> would post them later).</summary>
    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
