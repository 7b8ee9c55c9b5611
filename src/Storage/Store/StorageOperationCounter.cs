namespace EccoStudio.Storage.Store;

/// <summary>Thread-safe <see cref="IStorageOperationCounter"/>.</summary>
public sealed class StorageOperationCounter : IStorageOperationCounter
{
    private readonly long[] _counts = new long[Enum.GetValues<StorageOperationKind>().Length];

    public void Record(StorageOperationKind kind) => Interlocked.Increment(ref _counts[(int)kind]);

    public long Count(StorageOperationKind kind) => Interlocked.Read(ref _counts[(int)kind]);

    public long Total => Enum.GetValues<StorageOperationKind>().Sum(Count);

    public IReadOnlyDictionary<StorageOperationKind, long> Snapshot() =>
        Enum.GetValues<StorageOperationKind>().ToDictionary(k => k, Count);

    public void Reset()
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            Interlocked.Exchange(ref _counts[i], 0);
        }
    }
}
