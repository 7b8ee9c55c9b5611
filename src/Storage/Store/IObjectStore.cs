namespace EccoStudio.Storage.Store;

/// <summary>The object operations the model needs. 412 surfaces as <see cref="PreconditionFailedException"/>.</summary>
public interface IObjectStore
{
    /// <summary>Content and metadata of the live generation (or of <paramref name="generation"/>); null when absent.</summary>
    Task<StoredObject?> GetAsync(string bucket, string name, long? generation = null, CancellationToken cancellationToken = default);

    /// <summary>Metadata only; null when absent.</summary>
    Task<StoredObjectInfo?> GetInfoAsync(string bucket, string name, CancellationToken cancellationToken = default);

    Task<StoredObjectInfo> PutAsync(string bucket, string name, ReadOnlyMemory<byte> content, PutOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the given custom metadata keys (others are kept), compare-and-swap on metageneration and, when given,
    /// generation (a metageneration alone is ambiguous: every new generation starts again at 1).
    /// </summary>
    Task<StoredObjectInfo> SetMetadataAsync(string bucket, string name, IReadOnlyDictionary<string, string> metadata, long ifMetagenerationMatch,
        long? ifGenerationMatch = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes; with <paramref name="ifGenerationMatch"/> only that generation. False when already absent.</summary>
    Task<bool> DeleteAsync(string bucket, string name, long? ifGenerationMatch, CancellationToken cancellationToken = default);

    Task<ObjectPage> ListAsync(string bucket, string prefix, string? delimiter = null, string? pageToken = null, int? pageSize = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of the live objects under <paramref name="prefix"/> whose names are ≥ <paramref name="startOffset"/> and
    /// &lt; <paramref name="endOffset"/> (GCS <c>startOffset</c>/<c>endOffset</c>; null = unbounded), in name order.
    /// </summary>
    Task<ObjectPage> ListRangeAsync(string bucket, string prefix, string? startOffset, string? endOffset, string? pageToken = null, int? pageSize = null,
        CancellationToken cancellationToken = default);
}
