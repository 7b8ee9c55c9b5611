using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using EccoStudio.Telemetry;
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
/// Telemetry (<see cref="StorageTelemetry"/>): one span per call (<c>gcs.get</c>, …) with bucket, object name and
/// generation, whose HTTP requests are child spans; every request counted by kind and outcome; bytes; objects created.
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
        using var span = Start("gcs.get", bucket, name, generation);
        var result = await Idempotent(async ct =>
        {
            // Metadata first to learn the generation, then exactly that generation's bytes: content and generation agree.
            GcsObject meta;
            try
            {
                meta = await Request("get", () => client.GetObjectAsync(bucket, name, new GetObjectOptions { Generation = generation, RetryOptions = RetryOptions.Never }, ct));
            }
            catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            using var buffer = new MemoryStream();
            try
            {
                // The client's default chunk size (10 MiB) allocates that much for every download; size it to the object.
                await Request("download", () => client.DownloadObjectAsync(bucket, name, buffer, new DownloadObjectOptions
                {
                    Generation = meta.Generation,
                    ChunkSize = DownloadChunkSize(meta.Size),
                }, ct));
            }
            catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound && generation is null)
            {
                // Replaced (and the old generation gone) between the two calls: read again.
                throw new ObjectChangedDuringReadException(bucket, name);
            }

            StorageTelemetry.Bytes.Add(buffer.Length, new KeyValuePair<string, object?>(EccoTags.Direction, "read"));
            return new StoredObject(ToInfo(meta), Decode(buffer.ToArray()));
        }, cancellationToken);
        span?.SetTag(EccoTags.Generation, result?.Info.Generation);
        span?.SetTag(EccoTags.Outcome, result is null ? "not_found" : "ok");
        return result;
    }

    public async Task<StoredObjectInfo?> GetInfoAsync(string bucket, string name, CancellationToken cancellationToken = default)
    {
        counter.Record(StorageOperationKind.Get);
        using var span = Start("gcs.stat", bucket, name, null);
        var info = await Idempotent(async ct =>
        {
            try
            {
                return ToInfo(await Request("get", () => client.GetObjectAsync(bucket, name, new GetObjectOptions { RetryOptions = RetryOptions.Never }, ct)));
            }
            catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }, cancellationToken);
        span?.SetTag(EccoTags.Generation, info?.Generation);
        span?.SetTag(EccoTags.Outcome, info is null ? "not_found" : "ok");
        return info;
    }

    public async Task<StoredObjectInfo> PutAsync(string bucket, string name, ReadOnlyMemory<byte> content, PutOptions options, CancellationToken cancellationToken = default)
    {
        counter.Record(StorageOperationKind.Put);
        using var span = Start("gcs.put", bucket, name, options.IfGenerationMatch);
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
                Retention = options.Retention is { } retention
                    ? new GcsObject.RetentionData { Mode = retention.Mode, RetainUntilTimeDateTimeOffset = retention.RetainUntil }
                    : null,
            };
            try
            {
                if (payload.Length <= storeOptions.SingleRequestUploadMaxBytes)
                {
                    return ToInfo(await Request("upload", () => _multipart.UploadAsync(body, payload, options.IfGenerationMatch, options.IfMetagenerationMatch, ct)));
                }

                using var stream = new MemoryStream(payload, writable: false);
                var result = await Request("upload", () => client.UploadObjectAsync(body, stream, new UploadObjectOptions
                {
                    IfGenerationMatch = options.IfGenerationMatch,
                    IfMetagenerationMatch = options.IfMetagenerationMatch,
                }, ct));
                return ToInfo(result);
            }
            catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.PreconditionFailed)
            {
                throw new PreconditionFailedException(bucket, name, options.IfGenerationMatch, options.IfMetagenerationMatch, e);
            }
        }

        try
        {
            var stored = options.IsPreconditioned ? await Idempotent(Call, cancellationToken) : await Call(cancellationToken);
            var kind = new KeyValuePair<string, object?>(EccoTags.ObjectKind, StorageTelemetry.ObjectKind(name));
            StorageTelemetry.Bytes.Add(payload.Length, new KeyValuePair<string, object?>(EccoTags.Direction, "write"));
            StorageTelemetry.GenerationsWritten.Add(1, kind);
            if (options.IfGenerationMatch == 0)
            {
                StorageTelemetry.ObjectsCreated.Add(1, kind);
            }

            span?.SetTag(EccoTags.Generation, stored.Generation);
            span?.SetTag(EccoTags.Outcome, "ok");
            return stored;
        }
        catch (PreconditionFailedException)
        {
            span?.SetTag(EccoTags.Outcome, "precondition_failed");
            throw;
        }
    }

    public async Task<StoredObjectInfo> SetMetadataAsync(string bucket, string name, IReadOnlyDictionary<string, string> metadata, long ifMetagenerationMatch,
        long? ifGenerationMatch = null, CancellationToken cancellationToken = default)
    {
        counter.Record(StorageOperationKind.Put);
        using var span = Start("gcs.patch", bucket, name, null);
        return await Idempotent(async ct =>
        {
            try
            {
                var result = await Request("patch", () => client.PatchObjectAsync(
                    new GcsObject { Bucket = bucket, Name = name, Metadata = metadata.ToDictionary(p => p.Key, p => p.Value) },
                    new PatchObjectOptions { IfMetagenerationMatch = ifMetagenerationMatch, IfGenerationMatch = ifGenerationMatch, RetryOptions = RetryOptions.Never }, ct));
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
        using var span = Start("gcs.delete", bucket, name, ifGenerationMatch);
        async Task<bool> Call(CancellationToken ct)
        {
            try
            {
                await Request("delete", () => client.DeleteObjectAsync(bucket, name, new DeleteObjectOptions { IfGenerationMatch = ifGenerationMatch, RetryOptions = RetryOptions.Never }, ct));
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

    public Task<ObjectPage> ListRangeAsync(string bucket, string prefix, string? startOffset, string? endOffset, string? pageToken = null, int? pageSize = null,
        CancellationToken cancellationToken = default) =>
        ListPageAsync(bucket, prefix, null, versions: false, pageToken, pageSize, cancellationToken, startOffset, endOffset);

    public Task<ObjectPage> ListVersionsAsync(string bucket, string prefix, string? pageToken = null, int? pageSize = null, CancellationToken cancellationToken = default) =>
        ListPageAsync(bucket, prefix, null, versions: true, pageToken, pageSize, cancellationToken);

    public async Task<StoredObjectInfo> CopyGenerationAsync(string bucket, string name, long generation, string destinationBucket, long ifGenerationMatch,
        CancellationToken cancellationToken = default)
    {
        counter.Record(StorageOperationKind.Put);
        using var span = Start("gcs.copy", bucket, name, generation);
        return await Idempotent(async ct =>
        {
            try
            {
                // Copy (a rewrite in the client) keeps the stored bytes, Content-Encoding and custom metadata of the source generation.
                var result = await Request("copy", () => client.CopyObjectAsync(bucket, name, destinationBucket, name, new CopyObjectOptions
                {
                    SourceGeneration = generation,
                    IfGenerationMatch = ifGenerationMatch,
                    RetryOptions = RetryOptions.Never,
                }, ct));
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
        using var span = Start("gcs.delete", bucket, name, generation);
        return await Idempotent(async ct =>
        {
            try
            {
                await Request("delete", () => client.DeleteObjectAsync(bucket, name, new DeleteObjectOptions { Generation = generation, RetryOptions = RetryOptions.Never }, ct));
                return true;
            }
            catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
        }, cancellationToken);
    }

    public async Task<StoredObjectInfo?> RemoveRetentionAsync(string bucket, string name, long generation, CancellationToken cancellationToken = default)
    {
        counter.Record(StorageOperationKind.Put);
        using var span = Start("gcs.patch", bucket, name, generation);
        return await Idempotent(async ct =>
        {
            try
            {
                var result = await Request("patch", () => client.PatchObjectAsync(
                    new GcsObject { Bucket = bucket, Name = name, Retention = new RemovedRetention() },
                    new PatchObjectOptions { Generation = generation, OverrideUnlockedRetention = true, RetryOptions = RetryOptions.Never }, ct));
                return ToInfo(result);
            }
            catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }, cancellationToken);
    }

    /// <summary>Serialized as <c>"retention": null</c>: a patch removes a field only when it is sent as null.</summary>
    [Google.Apis.Json.JsonExplicitNull]
    private sealed class RemovedRetention : GcsObject.RetentionData;

    private async Task<ObjectPage> ListPageAsync(string bucket, string prefix, string? delimiter, bool versions, string? pageToken, int? pageSize,
        CancellationToken cancellationToken, string? startOffset = null, string? endOffset = null)
    {
        counter.Record(StorageOperationKind.List);
        using var span = Start("gcs.list", bucket, prefix, null);
        return await Idempotent(async ct =>
        {
            var request = client.Service.Objects.List(bucket);
            request.Prefix = prefix;
            request.Delimiter = delimiter;
            request.PageToken = pageToken;
            request.MaxResults = pageSize;
            request.Versions = versions ? true : null;
            request.StartOffset = startOffset;
            request.EndOffset = endOffset;
            var response = await Request("list", () => request.ExecuteAsync(ct));
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
                    StorageTelemetry.Retries.Add(1);
                    LogRetry(logger, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    /// <summary>The call's span: bucket, object name (or list prefix) and the generation it targets, if any. No payload.</summary>
    private static Activity? Start(string operation, string bucket, string name, long? generation)
    {
        var span = StorageTelemetry.Source.StartActivity(operation, ActivityKind.Internal);
        if (span is not null)
        {
            span.SetTag(EccoTags.Bucket, bucket);
            span.SetTag(EccoTags.ObjectName, StorageTelemetry.RedactObjectName(name));
            if (generation is not null)
            {
                span.SetTag(EccoTags.Generation, generation);
            }
        }

        return span;
    }

    /// <summary>One HTTP request to GCS, counted by kind and outcome (the status code decides, retries count again).</summary>
    private static async Task<T> Request<T>(string operation, Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            return await call();
        }
        catch (GoogleApiException e)
        {
            outcome = StorageTelemetry.Outcome((int)e.HttpStatusCode);
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            outcome = StorageTelemetry.Outcome(null);
            throw;
        }
        finally
        {
            var tags = new TagList { { EccoTags.Operation, operation }, { EccoTags.Outcome, outcome } };
            StorageTelemetry.Operations.Add(1, tags);
            StorageTelemetry.Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    private static async Task<bool> Request(string operation, Func<Task> call) =>
        await Request(operation, async () =>
        {
            await call();
            return true;
        });

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
        Retention = o.Retention is { Mode: { } mode, RetainUntilTimeDateTimeOffset: { } until } ? new RetentionConfig(mode, until) : null,
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
