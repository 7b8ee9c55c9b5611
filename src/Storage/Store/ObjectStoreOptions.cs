namespace EccoStudio.Storage.Store;

/// <summary>Tuning of <see cref="GcsObjectStore"/>.</summary>
public sealed record ObjectStoreOptions
{
    /// <summary>Payloads larger than this are stored gzip-compressed (<c>Content-Encoding: gzip</c>, spec §9).</summary>
    public int GzipThresholdBytes { get; init; } = 64 * 1024;

    public int MaxRetryAttempts { get; init; } = 5;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(5);
}
