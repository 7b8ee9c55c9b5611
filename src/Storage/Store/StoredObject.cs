namespace EccoStudio.Storage.Store;

/// <summary>An object's content (already decompressed) and the metadata of the generation it was read from.</summary>
public sealed record StoredObject(StoredObjectInfo Info, ReadOnlyMemory<byte> Content)
{
    public long Generation => Info.Generation;
}
