using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;

namespace EccoStudio.Storage.Schemas;

/// <summary>Reads <c>{root}/{entity}/v{version}.schema.json</c> (the repo's <c>schemas/</c> folder); env is ignored.</summary>
public sealed class FolderSchemaSource(string root) : ISchemaSource
{
    public string Root => root;

    public async Task<string?> TryLoadAsync(string env, EntityKind kind, SchemaVersion version, CancellationToken cancellationToken)
    {
        var path = Path.Combine(root, kind.Name, version.FileName);
        return File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : null;
    }

    /// <summary>Walks up from <paramref name="start"/> to the first directory holding <c>schemas/indices.json</c>.</summary>
    public static string FindRepoSchemas(string? start = null)
    {
        var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory);
        while (dir is not null)
        {
            var candidate = Path.Combine(dir.FullName, "schemas");
            if (File.Exists(Path.Combine(candidate, "indices.json")))
            {
                return candidate;
            }

            dir = dir.Parent;
        }

        throw new DirectoryNotFoundException("No schemas/indices.json above " + (start ?? AppContext.BaseDirectory));
    }
}
