using System.IO.Compression;
using System.Net;
using Google;
using Google.Cloud.Storage.V1;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using GcsObject = Google.Apis.Storage.v1.Data.Object;

namespace EccoStudio.Storage.Store;

/// <summary>
/// <see cref="IObjectStore"/> over Google.Cloud.Storage.V1. Retries (exponential backoff + jitter) on 408/429/5xx and
/// connection errors, only for idempotent calls: reads, lists, and writes/deletes carrying a precondition.
/// A 412 is surfaced as <see cref="PreconditionFailedException"/> and never retried. Payloads above
/// <see cref="ObjectStoreOptions.GzipThresholdBytes"/> are stored gzip (<c>Content-Encoding: gzip</c>) and read back
/// decompressed. The client's own retries are disabled so that this policy is the only one.
/// </summary>
public sealed partial class GcsObjectStore(
    StorageClient client,
    ObjectStoreOptions storeOptions,
    IStorageOperationCounter counter,
    ILogger<GcsObjectStore> logger) : IObjectStore, IObjectVersions
{
    private readonly ResiliencePipeline _retry = BuildRetry(storeOptions, logger);
    private readonly MultipartUploader _multipart = new(client);

    public async Task<StoredObject?> GetAsync(string bucket, string name, long? generation = null, CancellationToken cancellationToken = default)
    {
        counter.Record(StorageOperationKind.Get);
        return await Idempotent(async ct =>
        {
            // Metadata first to learn the generation, then exactly that generation's bytes: content and generation agree.
            GcsObject meta;
            try
            {
                meta = await client.GetObjectAsync(bucket, name, new GetObjectOptions { Generation = generation, RetryOptions = RetryOptions.Never }, ct);
            }
            catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            using var buffer = new MemoryStream();
            try
            {
                // The client's default chunk size (10 MiB) allocates that much for every download; size it to the object.
                await client.DownloadObjectAsync(bucket, name, buffer, new DownloadObjectOptions
                {
                    Generation = meta.Generation,
                    ChunkSize = DownloadChunkSize(meta.Size),
                }, ct);
            }
            catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound && generation is null)
            {
                // Replaced (and the old generation gone) between the two calls: read again.
                throw new ObjectChangedDuringReadException(bucket, name);
            }

            return new StoredObject(ToInfo(meta), Decode(buffer.ToArray()));
        }, cancellationToken);
    }

    public async Task<StoredObjectInfo?> GetInfoAsync(string bucket, string name, CancellationToken cancellationToken = default)
    {
        counter.Record(StorageOperationKind.Get);
        return await Idempotent(async ct =>
        {
            try
            {
                return ToInfo(await client.GetObjectAsync(bucket, name, new GetObjectOptions { RetryOptions = RetryOptions.Never }, ct));
            }
            catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }, cancellationToken);
    }

    public async Task<StoredObjectInfo> PutAsync(string bucket, string name, ReadOnlyMemory<byte> content, PutOptions options, CancellationToken cancellationToken = default)
    {
        counter.Record(StorageOperationKind.Put);
        var gzip = content.Length > storeOptions.GzipThresholdBytes;
        var payload = gzip ? Compress(content.Span) : content.ToArray();
        async Task<StoredObjectInfo> Call(CancellationToken ct)
        {
            var body = new GcsObject
            {
                Bucket = bucket,
                Name = name,
                ContentType = options.ContentType,
                ContentEncoding = gzip ? "gzip" : null,
                Metadata = options.Metadata?.ToDictionary(p => p.Key, p => p.Value),
            };
            try
            {
                if (payload.Length <= storeOptions.SingleRequestUploadMaxBytes)
                {
                    return ToInfo(await _multipart.UploadAsync(body, payload, options.IfGenerationMatch, options.IfMetagenerationMatch, ct));
                }

                using var stream = new MemoryStream(payload, writable: false);
                var result = await client.UploadObjectAsync(body, stream, new UploadObjectOptions
                {
                    IfGenerationMatch = options.IfGenerationMatch,
                    IfMetagenerationMatch = options.IfMetagenerationMatch,
                }, ct);
                return ToInfo(result);
            }
            catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.PreconditionFailed)
            {
                throw new PreconditionFailedException(bucket, name, options.IfGenerationMatch, options.IfMetagenerationMatch, e);
            }
        }

        return options.IsPreconditioned ? await Idempotent(Call, cancellationToken) : await Call(cancellationToken);
    }

    public async Task<StoredObjectInfo> SetMetadataAsync(string bucket, string name, IReadOnlyDictionary<string, string> metadata, long ifMetagenerationMatch,
        long? ifGenerationMatch = null, CancellationToken cancellationToken = default)
    {
        counter.Record(StorageOperationKind.Put);
        return await Idempotent(async ct =>
        {
            try
            {
                var result = await client.PatchObjectAsync(
                    new GcsObject { Bucket = bucket, Name = name, Metadata = metadata.ToDictionary(p => p.Key, p => p.Value) },
                    new PatchObjectOptions { IfMetagenerationMatch = ifMetagenerationMatch, IfGenerationMatch = ifGenerationMatch, RetryOptions = RetryOptions.Never }, ct);
                return ToInfo(result);
            }
            catch (GoogleApiException e) when (e.HttpStatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
            {
                // Absent counts as "not the generation expected": the caller re-reads either way.
                throw new PreconditionFailedException(bucket, name, ifGenerationMatch, ifMetagenerationMatch, e);
            }
        }, cancellationToken);
    }

    public async Task<bool> DeleteAsync(string bucket, string name, long? ifGenerationMatch, CancellationToken cancellationToken = default)
    {
        counter.Record(StorageOperationKind.Delete);
        async Task<bool> Call(CancellationToken ct)
        {
            try
            {
                await client.DeleteObjectAsync(bucket, name, new DeleteObjectOptions { IfGenerationMatch = ifGenerationMatch, RetryOptions = RetryOptions.Never }, ct);
                return true;
            }
            catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
            catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.PreconditionFailed)
            {
                throw new PreconditionFailedException(bucket, name, ifGenerationMatch, null, e);
            }
        }

        return ifGenerationMatch is not null ? await Idempotent(Call, cancellationToken) : await Call(cancellationToken);
    }

    public Task<ObjectPage> ListAsync(string bucket, string prefix, string? delimiter = null, string? pageToken = null, int? pageSize = null, CancellationToken cancellationToken = default) =>
        ListPageAsync(bucket, prefix, delimiter, versions: false, pageToken, pageSize, cancellationToken);

    public Task<ObjectPage> ListVersionsAsync(string bucket, string prefix, string? pageToken = null, int? pageSize = null, CancellationToken cancellationToken = default) =>
        ListPageAsync(bucket, prefix, null, versions: true, pageToken, pageSize, cancellationToken);

    public async Task<StoredObjectInfo> CopyGenerationAsync(string bucket, string name, long generation, string destinationBucket, long ifGenerationMatch,
        CancellationToken cancellationToken = default)
    {
        counter.Record(StorageOperationKind.Put);
        return await Idempotent(async ct =>
        {
            try
            {
                // Copy (a rewrite in the client) keeps the stored bytes, Content-Encoding and custom metadata of the source generation.
                var result = await client.CopyObjectAsync(bucket, name, destinationBucket, name, new CopyObjectOptions
                {
                    SourceGeneration = generation,
                    IfGenerationMatch = ifGenerationMatch,
                    RetryOptions = RetryOptions.Never,
                }, ct);
                return ToInfo(result);
            }
            catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.PreconditionFailed)
            {
                throw new PreconditionFailedException(destinationBucket, name, ifGenerationMatch, null, e);
            }
        }, cancellationToken);
    }

    public async Task<bool> DeleteGenerationAsync(string bucket, string name, long generation, CancellationToken cancellationToken = default)
    {
        counter.Record(StorageOperationKind.Delete);
        return await Idempotent(async ct =>
        {
            try
            {
                await client.DeleteObjectAsync(bucket, name, new DeleteObjectOptions { Generation = generation, RetryOptions = RetryOptions.Never }, ct);
                return true;
            }
            catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
        }, cancellationToken);
    }

    private async Task<ObjectPage> ListPageAsync(string bucket, string prefix, string? delimiter, bool versions, string? pageToken, int? pageSize,
        CancellationToken cancellationToken)
    {
        counter.Record(StorageOperationKind.List);
        return await Idempotent(async ct =>
        {
            var request = client.Service.Objects.List(bucket);
            request.Prefix = prefix;
            request.Delimiter = delimiter;
            request.PageToken = pageToken;
            request.MaxResults = pageSize;
            request.Versions = versions ? true : null;
            var response = await request.ExecuteAsync(ct);
            var objects = (response.Items ?? []).Select(ToInfo).ToList();
            return new ObjectPage(objects, response.Prefixes?.ToList() ?? [], string.IsNullOrEmpty(response.NextPageToken) ? null : response.NextPageToken);
        }, cancellationToken);
    }

    internal static bool IsTransient(Exception e) => e switch
    {
        ObjectChangedDuringReadException => true,
        GoogleApiException g => g.HttpStatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)g.HttpStatusCode >= 500,
        HttpRequestException or IOException => true,
        TaskCanceledException t => t.InnerException is TimeoutException,
        _ => false,
    };

    private async ValueTask<T> Idempotent<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        await _retry.ExecuteAsync(async ct => await call(ct), cancellationToken);

    private static ResiliencePipeline BuildRetry(ObjectStoreOptions options, ILogger logger) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                OnRetry = args =>
                {
                    LogRetry(logger, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    private static StoredObjectInfo ToInfo(GcsObject o) => new(
        o.Bucket,
        o.Name,
        o.Generation ?? 0,
        o.Metageneration ?? 0,
        (long)(o.Size ?? 0),
        o.ContentEncoding,
        o.UpdatedDateTimeOffset,
        o.Metadata is null ? new Dictionary<string, string>() : new Dictionary<string, string>(o.Metadata))
    {
        Created = o.TimeCreatedDateTimeOffset,
        Deleted = o.TimeDeletedDateTimeOffset,
        Crc32c = o.Crc32c,
        Md5Hash = o.Md5Hash,
    };

    internal static int DownloadChunkSize(ulong? size) =>
        (int)Math.Clamp((long)(size ?? 0) + 1, 64 * 1024, 10 * 1024 * 1024);

    private static byte[] Compress(ReadOnlySpan<byte> content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }

    /// <summary>
    /// Stored gzip bytes may arrive compressed or already decompressed (GCS decompressive transcoding); JSON never
    /// starts with the gzip magic 0x1f 0x8b, so the bytes themselves tell.
    /// </summary>
    internal static byte[] Decode(byte[] bytes)
    {
        if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b)
        {
            return bytes;
        }

        using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage call failed transiently; retry {Attempt} in {Delay}: {Error}")]
    private static partial void LogRetry(ILogger logger, int attempt, TimeSpan delay, string? error);
}
