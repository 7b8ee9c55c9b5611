using System.Text;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Schemas;

/// <summary>
/// Uploads the repo's <c>schemas/{entity}/v*.schema.json</c> to <c>env/{env}/schemas/...</c> create-only.
/// Re-publishing identical text is a no-op; a different text for a published version is refused
/// (<see cref="SchemaConflictException"/>) before anything is written: a published version is immutable, changes need
/// a new version.
/// </summary>
public sealed class SchemaPublisher(IObjectStore store, ObjectPaths paths)
{
    /// <summary>What publishing would do, per schema file (nothing is written).</summary>
    public async Task<IReadOnlyList<SchemaPublication>> PlanAsync(string env, string folder, CancellationToken cancellationToken = default)
    {
        var bucket = paths.BucketFor(env);
        var result = new List<SchemaPublication>();
        foreach (var (name, bytes) in Files(env, folder))
        {
            var existing = await store.GetAsync(bucket, name, null, cancellationToken);
            var text = await File.ReadAllBytesAsync(bytes, cancellationToken);
            var state = existing is null ? SchemaPublicationState.Missing
                : existing.Content.Span.SequenceEqual(text) ? SchemaPublicationState.Published
                : SchemaPublicationState.Different;
            result.Add(new SchemaPublication(name, bytes, state));
        }

        return result;
    }

    public async Task<IReadOnlyList<string>> PublishAsync(string env, string folder, CancellationToken cancellationToken = default)
    {
        var bucket = paths.BucketFor(env);
        var plan = await PlanAsync(env, folder, cancellationToken);
        if (plan.FirstOrDefault(p => p.State == SchemaPublicationState.Different) is { } conflict)
        {
            var existing = await store.GetAsync(bucket, conflict.ObjectName, null, cancellationToken);
            throw new SchemaConflictException(conflict.ObjectName, existing is null ? null : Encoding.UTF8.GetString(existing.Content.Span));
        }

        var written = new List<string>();
        foreach (var item in plan.Where(p => p.State == SchemaPublicationState.Missing))
        {
            var bytes = await File.ReadAllBytesAsync(item.SourceFile, cancellationToken);
            try
            {
                await store.PutAsync(bucket, item.ObjectName, bytes, PutOptions.CreateOnly, cancellationToken);
                written.Add(item.ObjectName);
            }
            catch (PreconditionFailedException)
            {
                // Published meanwhile by another run: fine when the text is the same.
                var existing = await store.GetAsync(bucket, item.ObjectName, null, cancellationToken);
                if (existing is null || !existing.Content.Span.SequenceEqual(bytes))
                {
                    throw new SchemaConflictException(item.ObjectName, existing is null ? null : Encoding.UTF8.GetString(existing.Content.Span));
                }
            }
        }

        return written;
    }

    private static IEnumerable<(string ObjectName, string File)> Files(string env, string folder)
    {
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
                if (SchemaVersion.TryParse(versionText, out var version))
                {
                    yield return (ObjectPaths.Schema(env, kind, version), file);
                }
            }
        }
    }
}

/// <summary>Where one schema file stands against the bucket.</summary>
public enum SchemaPublicationState
{
    /// <summary>Not published yet: publishing creates it.</summary>
    Missing,

    /// <summary>Published with the same text.</summary>
    Published,

    /// <summary>Published with another text: refused (bump the version).</summary>
    Different,
}

/// <summary>One schema file and its state.</summary>
public sealed record SchemaPublication(string ObjectName, string SourceFile, SchemaPublicationState State);
