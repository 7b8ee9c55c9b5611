using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Manifests;

/// <summary>Reads the manifest: <c>_index.ndjson</c> shards merged with entries newer than the watermark; paged by id.</summary>
public sealed class ManifestReader(StorageContext context)
{
    public async Task<(IReadOnlyList<JsonObject> Entries, string? NextPageToken)> ListAsync(string env, EntityKind kind, int pageSize = 100, string? pageToken = null,
        CancellationToken cancellationToken = default)
    {
        var all = await ReadAllAsync(env, kind, cancellationToken);
        var skip = pageToken is null ? 0 : int.Parse(pageToken, CultureInfo.InvariantCulture);
        var page = all.Skip(skip).Take(pageSize).ToList();
        return (page, skip + page.Count < all.Count ? (skip + page.Count).ToString(CultureInfo.InvariantCulture) : null);
    }

    public async Task<IReadOnlyList<JsonObject>> ReadAllAsync(string env, EntityKind kind, CancellationToken cancellationToken = default)
    {
        var bucket = context.Bucket(env);
        var byId = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        DateTimeOffset? watermark = null;
        var index = await context.Store.GetAsync(bucket, ObjectPaths.ManifestIndex(env, kind), null, cancellationToken);
        if (index is not null)
        {
            foreach (var line in Lines(index.Content))
            {
                var item = JsonText.ParseObject(line);
                if (EnvelopeReader.TryGetString(item, "type") == "header" && Rfc3339.TryParseUtc(EnvelopeReader.TryGetString(item, "watermark"), out var w))
                {
                    watermark = w;
                }
                else if (EnvelopeReader.TryGetString(item, "type") == "shard")
                {
                    var shard = await context.Store.GetAsync(bucket, EnvelopeReader.TryGetString(item, "ptr")!, null, cancellationToken);
                    foreach (var entryLine in shard is null ? [] : Lines(shard.Content))
                    {
                        Merge(byId, JsonText.ParseObject(entryLine));
                    }
                }
            }
        }

        foreach (var info in await context.Store.ListAllAsync(bucket, ObjectPaths.ManifestEntriesPrefix(env, kind), cancellationToken))
        {
            if (watermark is not null && info.Updated is { } updated && updated < watermark.Value)
            {
                continue;
            }

            var stored = await context.Store.GetAsync(bucket, info.Name, null, cancellationToken);
            if (stored is not null)
            {
                Merge(byId, JsonText.ParseObject(stored.Content.Span));
            }
        }

        return byId.Values.ToList();
    }

    private static void Merge(SortedDictionary<string, JsonObject> byId, JsonObject entry)
    {
        var id = EnvelopeReader.TryGetString(entry, "id");
        if (id is null)
        {
            return;
        }

        if (!byId.TryGetValue(id, out var existing)
            || !EnvelopeReader.TryGetUpdatedAt(existing, out var a) || !EnvelopeReader.TryGetUpdatedAt(entry, out var b) || b >= a)
        {
            byId[id] = entry;
        }
    }

    private static string[] Lines(ReadOnlyMemory<byte> content) =>
        Encoding.UTF8.GetString(content.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
