using System.Collections.Concurrent;
using EccoStudio.GcsEmulator.Model;

namespace EccoStudio.GcsEmulator.Store;

/// <summary>In-memory persistence: blobs in a dictionary, metadata only in the store's index.</summary>
public sealed class MemoryPersistence : IStorePersistence
{
    private readonly ConcurrentDictionary<(string Bucket, string Name, long Generation), byte[]> _blobs = new();

    public PersistedState Load() => new([], [], 0);

    public StagedBlob Stage(byte[] data) => new MemoryBlob(data);

    public void Commit(StagedBlob blob, ObjectMeta meta) => _blobs[(meta.Bucket, meta.Name, meta.Generation)] = blob.Data;

    public void Discard(StagedBlob blob)
    {
    }

    public byte[]? ReadBlob(ObjectMeta meta) => _blobs.TryGetValue((meta.Bucket, meta.Name, meta.Generation), out var data) ? data : null;

    public void WriteMeta(ObjectMeta meta)
    {
    }

    public void DeleteGeneration(ObjectMeta meta) => _blobs.TryRemove((meta.Bucket, meta.Name, meta.Generation), out _);

    public void WriteBucket(BucketMeta bucket)
    {
    }

    public void DeleteBucket(string name)
    {
    }

    public void ReserveGenerations(long upTo)
    {
    }

    public void Clear() => _blobs.Clear();

    public void Dispose()
    {
    }

    private sealed class MemoryBlob(byte[] data) : StagedBlob(data);
}
