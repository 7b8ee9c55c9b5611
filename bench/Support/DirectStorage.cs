using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using Google.Cloud.Storage.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace EccoStudio.Bench.Support;

/// <summary>The storage library with no engine: a <see cref="StorageContext"/> over the real client and counter.</summary>
public static class DirectStorage
{
    public static string SchemasFolder { get; } = FolderSchemaSource.FindRepoSchemas();

    public static StorageClient Client(Uri emulator) => StorageClientFactory.CreateForEmulator(emulator);

    public static GcsObjectStore Store(StorageClient client, IStorageOperationCounter counter) =>
        new(client, new ObjectStoreOptions(), counter, NullLogger<GcsObjectStore>.Instance);

    public static StorageContext Context(IObjectStore store, string bucket) => new(
        store,
        new ObjectPaths(new StorageLayoutOptions { BucketName = bucket }),
        EntitySchemaRegistry.FromFolder(SchemasFolder),
        IndexCatalog.Load(Path.Combine(SchemasFolder, "indices.json")));

    public static string NewBucket(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
}
