using EccoStudio.GcsEmulator.Model;

namespace EccoStudio.GcsEmulator.Store;

/// <summary>Blob bytes written ahead of a commit (outside the bucket lock).</summary>
public abstract class StagedBlob(byte[] data)
{
    public byte[] Data { get; } = data;
}

/// <summary>Everything a persistence holds, read once at start.</summary>
public sealed record PersistedState(IReadOnlyList<BucketMeta> Buckets, IReadOnlyList<ObjectMeta> Objects, long GenerationFloor);

/// <summary>
/// Where buckets, object metadata and blobs live. All logic (preconditions, versioning, listing, locking)
/// is in <see cref="GcsStore"/>; a persistence only stores and loads. Calls that change state are made under
/// the bucket's lock, in commit order.
/// </summary>
public interface IStorePersistence : IDisposable
{
    PersistedState Load();

    StagedBlob Stage(byte[] data);

    /// <summary>Makes the staged blob and the generation's metadata durable.</summary>
    void Commit(StagedBlob blob, ObjectMeta meta);

    void Discard(StagedBlob blob);

    /// <summary>The bytes of one generation, or null when it is gone.</summary>
    byte[]? ReadBlob(ObjectMeta meta);

    void WriteMeta(ObjectMeta meta);

    void DeleteGeneration(ObjectMeta meta);

    void WriteBucket(BucketMeta bucket);

    void DeleteBucket(string name);

    /// <summary>Records that generations up to <paramref name="upTo"/> may have been handed out.</summary>
    void ReserveGenerations(long upTo);

    /// <summary>Clears everything (the admin reset).</summary>
    void Clear();
}
