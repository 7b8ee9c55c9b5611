using EccoStudio.Storage.Erasure;

namespace EccoStudio.Activities.Erasure;

/// <summary>
/// An <see cref="ErasureReport"/> as it travels between orchestrator and activities (plain, serializable): object
/// generations by category, object names (index keys redacted), manifest shard generations removed.
/// </summary>
public sealed record ErasureTally(IReadOnlyDictionary<string, int> Versions, IReadOnlyList<string> Objects, int ShardsRewritten)
{
    public static ErasureTally Empty { get; } = new(new Dictionary<string, int>(), [], 0);

    public int Total => Versions.Values.Sum();

    public static ErasureTally From(ErasureReport report) =>
        new(new SortedDictionary<string, int>(report.VersionsRemoved.ToDictionary(), StringComparer.Ordinal), [.. report.Objects], report.ShardsRewritten);

    public ErasureReport ToReport() => new(Versions, Objects, ShardsRewritten);

    public ErasureTally Merge(ErasureTally other) => From(ToReport().Merge(other.ToReport()));
}
