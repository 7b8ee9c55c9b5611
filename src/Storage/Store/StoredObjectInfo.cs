namespace EccoStudio.Storage.Store;

/// <summary>Metadata of one object generation.</summary>
public sealed record StoredObjectInfo(
    string Bucket,
    string Name,
    long Generation,
    long Metageneration,
    long Size,
    string? ContentEncoding,
    DateTimeOffset? Updated,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>When this generation was written (server time).</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>Versioned listings: when this generation stopped being live (replaced or deleted); null while live.</summary>
    public DateTimeOffset? Deleted { get; init; }

    /// <summary>CRC32C of the stored bytes (base64), as GCS reports it.</summary>
    public string? Crc32c { get; init; }

    /// <summary>MD5 of the stored bytes (base64); absent for composite objects.</summary>
    public string? Md5Hash { get; init; }

    /// <summary>The generation's object retention (GCS Object Retention Lock), if any.</summary>
    public RetentionConfig? Retention { get; init; }

    /// <summary>True when both generations hold the same stored bytes, encoding and custom metadata (a copy of the other).</summary>
    public bool SameContentAs(StoredObjectInfo other) =>
        Size == other.Size
        && Crc32c is not null && Crc32c == other.Crc32c
        && Md5Hash == other.Md5Hash
        && ContentEncoding == other.ContentEncoding
        && Metadata.Count == other.Metadata.Count
        && Metadata.All(p => other.Metadata.TryGetValue(p.Key, out var v) && v == p.Value);
}
