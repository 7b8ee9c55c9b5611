namespace EccoStudio.GcsEmulator.Model;

/// <summary>The metadata a client supplies for a new object generation (upload, copy, compose).</summary>
public sealed record ObjectWrite
{
    public required string Name { get; init; }
    public string? ContentType { get; init; }
    public string? ContentEncoding { get; init; }
    public string? ContentDisposition { get; init; }
    public string? ContentLanguage { get; init; }
    public string? CacheControl { get; init; }
    public string? CustomTime { get; init; }
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
    public string? StorageClass { get; init; }
    public string? KmsKeyName { get; init; }
    public bool? TemporaryHold { get; init; }
    public bool? EventBasedHold { get; init; }
    public ObjectRetention? Retention { get; init; }
    /// <summary>md5Hash the client sent; the upload fails with 400 when the data does not match.</summary>
    public string? ExpectedMd5 { get; init; }
    /// <summary>crc32c the client sent; the upload fails with 400 when the data does not match.</summary>
    public string? ExpectedCrc32c { get; init; }
}
