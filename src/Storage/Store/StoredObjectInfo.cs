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
    IReadOnlyDictionary<string, string> Metadata);
