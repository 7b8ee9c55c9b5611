using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Writes;

/// <summary>What every write/read operation needs: the store, the layout, schemas and index definitions.</summary>
public sealed record StorageContext(IObjectStore Store, ObjectPaths Paths, EntitySchemaRegistry Schemas, IndexCatalog Indices)
{
    public string Bucket(string env) => Paths.BucketFor(env);

    /// <summary>Object metadata key on snapshots holding the last applied history key (<c>{updated_at}|{ulid}</c>).</summary>
    public const string LastAppliedMetadataKey = "ecco-last-applied";
}
