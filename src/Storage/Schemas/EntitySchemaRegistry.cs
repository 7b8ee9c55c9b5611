using System.Collections.Concurrent;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;

namespace EccoStudio.Storage.Schemas;

/// <summary>
/// Compiled schemas per (env, entity, version), loaded once from an <see cref="ISchemaSource"/> and cached
/// (published schema versions are immutable). A version without a schema is rejected.
/// </summary>
public sealed class EntitySchemaRegistry(ISchemaSource source)
{
    private readonly ConcurrentDictionary<(string Env, string Entity, SchemaVersion Version), Lazy<Task<EntitySchema?>>> _cache = new();

    public static EntitySchemaRegistry FromFolder(string root) => new(new FolderSchemaSource(root));

    public async Task<EntitySchema> GetAsync(string env, EntityKind kind, SchemaVersion version, CancellationToken cancellationToken = default)
    {
        var key = (env, kind.Name, version);
        var lazy = _cache.GetOrAdd(key, _ => new Lazy<Task<EntitySchema?>>(() => LoadAsync(env, kind, version, CancellationToken.None)));
        EntitySchema? schema;
        try
        {
            schema = await lazy.Value.WaitAsync(cancellationToken);
        }
        catch
        {
            _cache.TryRemove(key, out _);
            throw;
        }

        if (schema is null)
        {
            // Not cached: a schema published later is picked up.
            _cache.TryRemove(key, out _);
            throw new UnknownSchemaVersionException(kind.Name, version.ToString());
        }

        return schema;
    }

    private async Task<EntitySchema?> LoadAsync(string env, EntityKind kind, SchemaVersion version, CancellationToken cancellationToken)
    {
        var text = await source.TryLoadAsync(env, kind, version, cancellationToken);
        return text is null ? null : EntitySchema.Compile(kind, version, text);
    }
}
