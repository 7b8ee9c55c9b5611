using System.Text;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Schemas;

/// <summary>
/// Uploads the repo's <c>schemas/{entity}/v*.schema.json</c> to <c>env/{env}/schemas/...</c> create-only.
/// Re-publishing identical text is a no-op; a different text for a published version is refused
/// (<see cref="SchemaConflictException"/>): a published version is immutable, changes need a new version.
/// </summary>
public sealed class SchemaPublisher(IObjectStore store, ObjectPaths paths)
{
    public async Task<IReadOnlyList<string>> PublishAsync(string env, string folder, CancellationToken cancellationToken = default)
    {
        var bucket = paths.BucketFor(env);
        var written = new List<string>();
        foreach (var kind in EntityCatalog.All)
        {
            var dir = Path.Combine(folder, kind.Name);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var file in Directory.GetFiles(dir, "v*.schema.json").Order(StringComparer.Ordinal))
            {
                var versionText = Path.GetFileName(file)[..^".schema.json".Length];
                if (!SchemaVersion.TryParse(versionText, out var version))
                {
                    continue;
                }

                var bytes = await File.ReadAllBytesAsync(file, cancellationToken);
                var name = ObjectPaths.Schema(env, kind, version);
                try
                {
                    await store.PutAsync(bucket, name, bytes, PutOptions.CreateOnly, cancellationToken);
                    written.Add(name);
                }
                catch (PreconditionFailedException)
                {
                    var existing = await store.GetAsync(bucket, name, null, cancellationToken);
                    if (existing is null || !existing.Content.Span.SequenceEqual(bytes))
                    {
                        throw new SchemaConflictException(name, existing is null ? null : Encoding.UTF8.GetString(existing.Content.Span));
                    }
                }
            }
        }

        return written;
    }
}
