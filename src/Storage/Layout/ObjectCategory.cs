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

    /// <summary>A manifest change marker (<c>manifests/{prefix}/changes/{time}_{id}.json</c>).</summary>
    ManifestChange,
}
