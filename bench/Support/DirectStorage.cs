using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Store;
using Google.Cloud.Storage.V1;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Bench.Support;

/// <summary>
/// The storage library with no engine, composed by <c>AddEccoStorage</c> like every host: a <see cref="StorageContext"/>
/// over a bucket of the given client, with the bench's own counter or (decorated) store where it measures them.
/// </summary>
public static class DirectStorage
{
    public static StorageClient Client(Uri emulator) => StorageClientFactory.CreateForEmulator(emulator);

    /// <summary>The object store every host would build over <paramref name="client"/>, counting into <paramref name="counter"/>.</summary>
    public static IObjectStore Store(StorageClient client, IStorageOperationCounter counter) =>
        StorageServiceCollectionExtensions.CreateContext(Folder, s => s.AddSingleton(client).AddSingleton(counter)).Store;

    public static StorageContext Context(IObjectStore store, string bucket) =>
        StorageServiceCollectionExtensions.CreateContext(o => Configure(o, bucket), s => s.AddSingleton(store));

    /// <summary>Bench buckets hold no published schemas: schemas come from the repo's folder.</summary>
    public static void Configure(EccoStorageOptions options, string bucket)
    {
        Folder(options);
        options.Bucket = bucket;
    }

    public static string NewBucket(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];

    private static void Folder(EccoStorageOptions options) => options.SchemaSource = EccoStorageOptions.FolderSchemaSourceName;
}
