namespace EccoStudio.Storage.Layout;

/// <summary>Which part of the §3 layout an object name belongs to.</summary>
public enum ObjectCategory
{
    History,
    Snapshot,
    ManifestIndex,
    ManifestEntry,
    ManifestShard,
    IndexPointer,
    Schema,
    Log,
    Tmp,
}
