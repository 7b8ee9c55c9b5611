namespace EccoStudio.Storage.Store;

/// <summary>Tuning of <see cref="GcsObjectStore"/>.</summary>
public sealed record ObjectStoreOptions
{
    /// <summary>Payloads larger than this are stored gzip-compressed (<c>Content-Encoding: gzip</c>, spec §9).</summary>
    public int GzipThresholdBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// Payloads up to this size go up in one multipart request; larger ones use the client's resumable upload.
    /// (gcloud uses the same 8 MiB split.)
    /// </summary>
    public int SingleRequestUploadMaxBytes { get; init; } = 8 * 1024 * 1024;

    public int MaxRetryAttempts { get; init; } = 5;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(5);
}
