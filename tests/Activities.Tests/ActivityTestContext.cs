using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using EccoStudio.Testing;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;

namespace EccoStudio.Activities.Tests;

/// <summary>What an activity sees of the engine: its name and the orchestration instance.</summary>
public sealed class FakeActivityContext(string name, string instanceId) : TaskActivityContext
{
    public override TaskName Name { get; } = new(name);

    public override string InstanceId { get; } = instanceId;
}

/// <summary>A storage context on a fresh emulator bucket.</summary>
public static class Buckets
{
    public static async Task<StorageContext> NewContextAsync(GcsEmulatorFixture emulator)
    {
        var client = emulator.CreateClient();
        var bucket = emulator.NewBucketName("act");
        await client.CreateBucketAsync(emulator.ProjectId, bucket);
        var schemas = FolderSchemaSource.FindRepoSchemas();
        var store = new GcsObjectStore(client, new ObjectStoreOptions(), new StorageOperationCounter(), NullLogger<GcsObjectStore>.Instance);
        return new StorageContext(store, new ObjectPaths(new StorageLayoutOptions { BucketName = bucket }), EntitySchemaRegistry.FromFolder(schemas),
            IndexCatalog.Load(Path.Combine(schemas, "indices.json")));
    }
}
