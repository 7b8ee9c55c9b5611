using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Analytics;

/// <summary>
/// Writes one entity kind's current snapshots as newline-delimited JSON, one document per line (docs/analytics.md,
/// "Export"): the snapshot folder is listed page by page, each page's objects are read a few at a time and written in
/// listing order (id order), so memory holds one page whatever the number of objects. Reads go through the store, so
/// gzip-stored documents come out decompressed — the reason this exists next to the external tables. A snapshot
/// removed between listing and reading (a delete or an erasure running meanwhile) is skipped.
/// </summary>
public sealed class SnapshotExporter(IObjectStore store, int pageSize = 1000, int parallelism = 8)
{
    private static readonly byte[] NewLine = [(byte)'\n'];

    public async Task<SnapshotExport> ExportAsync(string bucket, string env, EntityKind kind, Stream destination, IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var prefix = ObjectPaths.SnapshotPrefix(env, kind);
        long rows = 0, bytes = 0, skipped = 0;
        string? token = null;
        do
        {
            var page = await store.ListAsync(bucket, prefix, delimiter: "/", pageToken: token, pageSize: pageSize, cancellationToken);
            var names = page.Objects.Select(o => o.Name).Where(n => n.EndsWith(".json", StringComparison.Ordinal)).ToList();
            var contents = new ReadOnlyMemory<byte>?[names.Count];
            await Parallel.ForAsync(0, names.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                async (i, ct) => contents[i] = (await store.GetAsync(bucket, names[i], cancellationToken: ct))?.Content);

            foreach (var content in contents)
            {
                if (content is not { } line)
                {
                    skipped++;
                    continue;
                }

                line = OneLine(line);
                await destination.WriteAsync(line, cancellationToken);
                await destination.WriteAsync(NewLine, cancellationToken);
                rows++;
                bytes += line.Length + 1;
            }

            progress?.Report(rows);
            token = page.NextPageToken;
        }
        while (token is not null);

        return new SnapshotExport(kind, rows, bytes, skipped);
    }

    /// <summary>
    /// Stored documents are compact JSON (docs/storage-model.md), so this is the bytes as stored; an object edited by
    /// hand with line breaks is compacted, since a line break would split the row for BigQuery's reader.
    /// </summary>
    private static ReadOnlyMemory<byte> OneLine(ReadOnlyMemory<byte> content) =>
        content.Span.IndexOfAny((byte)'\n', (byte)'\r') < 0 ? content : JsonText.ToBytes(JsonNode.Parse(content.Span)!);
}

/// <summary>What one kind's export wrote: rows, bytes (newlines included), and snapshots gone before they were read.</summary>
public sealed record SnapshotExport(EntityKind Kind, long Rows, long Bytes, long Skipped);
