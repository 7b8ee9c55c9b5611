using System.Text;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Schemas;

/// <summary>Reads <c>env/{env}/schemas/{entity}/v{version}.schema.json</c> from the bucket.</summary>
public sealed class GcsSchemaSource(IObjectStore store, ObjectPaths paths) : ISchemaSource
{
    public async Task<string?> TryLoadAsync(string env, EntityKind kind, SchemaVersion version, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(paths.BucketFor(env), ObjectPaths.Schema(env, kind, version), null, cancellationToken);
        return stored is null ? null : Encoding.UTF8.GetString(stored.Content.Span);
    }
}
