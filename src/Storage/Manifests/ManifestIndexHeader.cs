using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Manifests;

/// <summary>
/// What a compaction needs to know of the <c>_index.ndjson</c> it replaces and what it writes in its own: line 1
/// <c>{"type":"header","entity","env","compaction","watermark","count"[,"changes"]}</c>, then one
/// <c>{"type":"shard","ptr","count"}</c> per shard. <c>changes</c> (a marker time, see
/// <see cref="ObjectPaths.ManifestChangeTime"/>) says readers list change markers from that time on; without it they
/// list every entry (docs/storage-model.md "Manifests: shards + changes").
/// </summary>
/// <param name="Generation">Generation of the index object (0 = none).</param>
/// <param name="Updated">Server time the index object was written.</param>
/// <param name="Shards">The shard object names, in order.</param>
public sealed record ManifestIndexHeader(long Generation, DateTimeOffset? Updated, string? CompactionId, DateTimeOffset? Watermark, string? Changes,
    IReadOnlyList<string> Shards)
{
    public static readonly ManifestIndexHeader None = new(0, null, null, null, null, []);

    public static ManifestIndexHeader Parse(StoredObject? index)
    {
        if (index is null)
        {
            return None;
        }

        string? compaction = null;
        string? changes = null;
        DateTimeOffset? watermark = null;
        var shards = new List<string>();
        foreach (var line in Encoding.UTF8.GetString(index.Content.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var item = JsonText.ParseObject(Encoding.UTF8.GetBytes(line));
            switch (EnvelopeReader.TryGetString(item, "type"))
            {
                case "header":
                    compaction = EnvelopeReader.TryGetString(item, "compaction");
                    changes = EnvelopeReader.TryGetString(item, "changes");
                    watermark = Rfc3339.TryParseUtc(EnvelopeReader.TryGetString(item, "watermark"), out var w) ? w : null;
                    break;
                case "shard" when EnvelopeReader.TryGetString(item, "ptr") is { } ptr:
                    shards.Add(ptr);
                    break;
            }
        }

        return new ManifestIndexHeader(index.Generation, index.Info.Updated, compaction, watermark, changes, shards);
    }

    /// <summary>The index text: header, then the shard lines.</summary>
    public static byte[] Format(string env, EntityKind kind, string compactionId, DateTimeOffset watermark, string? changes, IReadOnlyList<(string Ptr, int Count)> shards)
    {
        var header = new JsonObject
        {
            ["type"] = "header", ["entity"] = kind.Name, ["env"] = env, ["compaction"] = compactionId,
            ["watermark"] = Rfc3339.Format(watermark), ["count"] = shards.Sum(s => s.Count),
        };
        if (changes is not null)
        {
            header["changes"] = changes;
        }

        var text = new StringBuilder().Append(JsonText.ToText(header)).Append('\n');
        foreach (var (ptr, count) in shards)
        {
            text.Append(JsonText.ToText(new JsonObject { ["type"] = "shard", ["ptr"] = ptr, ["count"] = count })).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
