namespace EccoStudio.GcsEmulator.Model;

/// <summary>The stored metadata of one object generation (live or noncurrent).</summary>
public sealed record ObjectMeta
{
    public required string Bucket { get; init; }
    public required string Name { get; init; }
    public required long Generation { get; init; }
    public long Metageneration { get; init; } = 1;
    public string? ContentType { get; init; }
    public string? ContentEncoding { get; init; }
    public string? ContentDisposition { get; init; }
    public string? ContentLanguage { get; init; }
    public string? CacheControl { get; init; }
    public string? CustomTime { get; init; }
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
    public long Size { get; init; }
    public string? Md5Hash { get; init; }
    public required string Crc32c { get; init; }
    public DateTimeOffset TimeCreated { get; init; }
    public DateTimeOffset Updated { get; init; }
    public DateTimeOffset? TimeDeleted { get; init; }
    public string StorageClass { get; init; } = "STANDARD";
    public int? ComponentCount { get; init; }
    public string? KmsKeyName { get; init; }
    public bool? TemporaryHold { get; init; }
    public bool? EventBasedHold { get; init; }
    /// <summary>Object Retention Lock configuration; kept by every generation, noncurrent ones included.</summary>
    public ObjectRetention? Retention { get; init; }
}
