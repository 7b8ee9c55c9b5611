namespace EccoStudio.Storage.Store;

/// <summary>Counts storage operations by kind; a singleton the benchmark and tests read.</summary>
public interface IStorageOperationCounter
{
    void Record(StorageOperationKind kind);

    long Count(StorageOperationKind kind);

    long Total { get; }

    IReadOnlyDictionary<StorageOperationKind, long> Snapshot();

    void Reset();
}
