using EccoStudio.Storage.Composition;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace EccoStudio.Testing;

/// <summary>
/// A fresh bucket on the emulator and the storage model over it (store, layout, the repository's schemas and index
/// definitions): what a command test populates by hand before it runs the command against the same bucket.
/// </summary>
public sealed record EmulatorStorage(StorageContext Context, GcsObjectStore Store, string Bucket)
{
    /// <summary>The repository's <c>schemas/</c> folder (schemas and <c>indices.json</c>).</summary>
    public static readonly string SchemasFolder = FolderSchemaSource.FindRepoSchemas();

    /// <summary>A new bucket (versioned unless told otherwise; Object Retention enabled when history retention is given).</summary>
    public static async Task<EmulatorStorage> CreateAsync(GcsEmulatorFixture emulator, string prefix, bool versioning = true, HistoryRetention? retention = null)
    {
        var bucket = await emulator.CreateBucketAsync(versioning, prefix, objectRetention: retention is not null);
        var store = new GcsObjectStore(emulator.CreateClient(), new ObjectStoreOptions(), new StorageOperationCounter(), NullLogger<GcsObjectStore>.Instance);
        var context = new StorageContext(store, new ObjectPaths(new StorageLayoutOptions { BucketName = bucket }), EntitySchemaRegistry.FromFolder(SchemasFolder),
            IndexCatalog.Load(Path.Combine(SchemasFolder, "indices.json")))
        {
            HistoryRetention = retention,
        };
        return new EmulatorStorage(context, store, bucket);
    }
}
