namespace EccoStudio.Storage.Erasure;

/// <summary>
/// What an erasure removed: object generations by category, and the object names with index keys redacted (a key
/// is data — a skill, a location — so the record names the index and the id only).
/// </summary>
public sealed record ErasureReport(IReadOnlyDictionary<string, int> VersionsRemoved, IReadOnlyList<string> Objects, int ShardsRewritten)
{
    public int TotalVersions => VersionsRemoved.Values.Sum();
}
