using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Store;

namespace EccoStudio.Bench.Support;

/// <summary>
/// A bench-only variant of the object store: every put is ONE request (JSON API <c>uploadType=multipart</c>: metadata
/// part + media part) instead of the client's resumable upload (a session-initiating POST, then a PUT of the bytes).
/// Everything else is delegated to the real <see cref="GcsObjectStore"/>. Shows what the write path gains when small
/// JSON objects are uploaded in a single request. Not hardened (no retries): a measurement aid only.
/// </summary>
/// With a <paramref name="client"/>, reads also change: the media download gets a small <c>ChunkSize</c> (the client's
/// default is 10 MiB, which the downloader allocates as its buffer for every download, even of a 400-byte object).
public sealed class SingleRequestUploadStore(IObjectStore inner, HttpClient http, Uri emulator, IStorageOperationCounter counter,
    Google.Cloud.Storage.V1.StorageClient? client = null) : IObjectStore
{
    public const int SmallChunk = 64 * 1024;

    public async Task<StoredObject?> GetAsync(string bucket, string name, long? generation = null, CancellationToken cancellationToken = default)
    {
        if (client is null)
        {
            return await inner.GetAsync(bucket, name, generation, cancellationToken);
        }

        counter.Record(StorageOperationKind.Get);
        Google.Apis.Storage.v1.Data.Object meta;
        try
        {
            meta = await client.GetObjectAsync(bucket, name, new Google.Cloud.Storage.V1.GetObjectOptions { Generation = generation }, cancellationToken);
        }
        catch (Google.GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await client.DownloadObjectAsync(bucket, name, buffer,
            new Google.Cloud.Storage.V1.DownloadObjectOptions { Generation = meta.Generation, ChunkSize = SmallChunk }, cancellationToken);
        return new StoredObject(new StoredObjectInfo(bucket, name, meta.Generation ?? 0, meta.Metageneration ?? 0, (long)(meta.Size ?? 0), meta.ContentEncoding,
            meta.UpdatedDateTimeOffset, meta.Metadata is null ? new Dictionary<string, string>() : new Dictionary<string, string>(meta.Metadata)), buffer.ToArray());
    }

    public Task<StoredObjectInfo?> GetInfoAsync(string bucket, string name, CancellationToken cancellationToken = default) =>
        inner.GetInfoAsync(bucket, name, cancellationToken);

    public Task<StoredObjectInfo> SetMetadataAsync(string bucket, string name, IReadOnlyDictionary<string, string> metadata, long ifMetagenerationMatch,
        long? ifGenerationMatch = null, CancellationToken cancellationToken = default) =>
        inner.SetMetadataAsync(bucket, name, metadata, ifMetagenerationMatch, ifGenerationMatch, cancellationToken);

    public Task<bool> DeleteAsync(string bucket, string name, long? ifGenerationMatch, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(bucket, name, ifGenerationMatch, cancellationToken);

    public Task<ObjectPage> ListAsync(string bucket, string prefix, string? delimiter = null, string? pageToken = null, int? pageSize = null,
        CancellationToken cancellationToken = default) => inner.ListAsync(bucket, prefix, delimiter, pageToken, pageSize, cancellationToken);

    public Task<ObjectPage> ListRangeAsync(string bucket, string prefix, string? startOffset, string? endOffset, string? pageToken = null, int? pageSize = null,
        CancellationToken cancellationToken = default) => inner.ListRangeAsync(bucket, prefix, startOffset, endOffset, pageToken, pageSize, cancellationToken);

    public async Task<StoredObjectInfo> PutAsync(string bucket, string name, ReadOnlyMemory<byte> content, PutOptions options, CancellationToken cancellationToken = default)
    {
        counter.Record(StorageOperationKind.Put);
        var query = "uploadType=multipart";
        if (options.IfGenerationMatch is { } g)
        {
            query += "&ifGenerationMatch=" + g.ToString(CultureInfo.InvariantCulture);
        }

        if (options.IfMetagenerationMatch is { } m)
        {
            query += "&ifMetagenerationMatch=" + m.ToString(CultureInfo.InvariantCulture);
        }

        var resource = new JsonObject { ["name"] = name, ["contentType"] = options.ContentType };
        if (options.Metadata is { Count: > 0 } metadata)
        {
            resource["metadata"] = new JsonObject(metadata.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        }

        using var body = new MultipartContent("related");
        body.Add(new StringContent(resource.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var media = new ReadOnlyMemoryContent(content);
        media.Headers.ContentType = new MediaTypeHeaderValue(options.ContentType);
        body.Add(media);
        var uri = new Uri(emulator, $"upload/storage/v1/b/{Uri.EscapeDataString(bucket)}/o?{query}");
        using var response = await http.PostAsync(uri, body, cancellationToken);
        if (response.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw new PreconditionFailedException(bucket, name, options.IfGenerationMatch, options.IfMetagenerationMatch);
        }

        response.EnsureSuccessStatusCode();
        var o = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
        return new StoredObjectInfo(
            bucket,
            name,
            long.Parse(o["generation"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            long.Parse(o["metageneration"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            long.Parse(o["size"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            o["contentEncoding"]?.GetValue<string>(),
            o["updated"] is { } u ? DateTimeOffset.Parse(u.GetValue<string>(), CultureInfo.InvariantCulture) : null,
            o["metadata"] is JsonObject md ? md.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) : new Dictionary<string, string>());
    }
}
