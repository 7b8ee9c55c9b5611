namespace EccoStudio.Storage.Store;

/// <summary>
/// A versioned bucket's generations (GCS object versioning, spec §8/§13): list every generation, copy one back
/// (restore), delete one for good (erasure). Reading one generation is <see cref="IObjectStore.GetAsync"/> with a
/// generation. 412 surfaces as <see cref="PreconditionFailedException"/>.
/// </summary>
public interface IObjectVersions
{
    /// <summary>
    /// One page of every generation under <paramref name="prefix"/>, live and noncurrent, ordered by name and then
    /// generation (oldest first); <see cref="StoredObjectInfo.Deleted"/> is set on noncurrent ones.
    /// </summary>
    Task<ObjectPage> ListVersionsAsync(string bucket, string prefix, string? pageToken = null, int? pageSize = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Copies generation <paramref name="generation"/> of <paramref name="name"/> to the same name in
    /// <paramref name="destinationBucket"/> (bytes, encoding and metadata as stored) if the destination's live
    /// generation is <paramref name="ifGenerationMatch"/> (0 = absent).
    /// </summary>
    Task<StoredObjectInfo> CopyGenerationAsync(string bucket, string name, long generation, string destinationBucket, long ifGenerationMatch,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes an Unlocked object retention from one generation (<c>overrideUnlockedRetention=true</c>; the caller needs
    /// <c>storage.objects.overrideUnlockedRetention</c>). GCS refuses this for a Locked retention (403). Null when the
    /// generation is gone.
    /// </summary>
    Task<StoredObjectInfo?> RemoveRetentionAsync(string bucket, string name, long generation, CancellationToken cancellationToken = default);

    /// <summary>Deletes exactly one generation, live or noncurrent (nothing stays behind). False when already gone.</summary>
    Task<bool> DeleteGenerationAsync(string bucket, string name, long generation, CancellationToken cancellationToken = default);
}
