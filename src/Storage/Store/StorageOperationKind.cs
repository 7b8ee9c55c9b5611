namespace EccoStudio.Storage.Store;

/// <summary>Kinds of storage operations counted (one logical call each, retries not counted twice).</summary>
public enum StorageOperationKind
{
    Get,
    Put,
    Delete,
    List,
}
