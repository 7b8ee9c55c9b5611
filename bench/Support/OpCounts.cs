using EccoStudio.Bench.Measurement;
using EccoStudio.Storage.Store;

namespace EccoStudio.Bench.Support;

/// <summary>
/// Storage operations of one write, counted by the real <see cref="IStorageOperationCounter"/> (delta around the
/// write; nothing else may use the counter meanwhile).
/// </summary>
public sealed record OpCount(long Get, long Put, long Delete, long List)
{
    public long Total => Get + Put + Delete + List;

    public override string ToString() => $"{Get} get + {Put} put + {Delete} delete + {List} list";

    public static async Task<OpCount> MeasureAsync(IStorageOperationCounter counter, Func<Task> write)
    {
        var before = counter.Snapshot();
        await write();
        var after = counter.Snapshot();
        long Delta(StorageOperationKind k) => after[k] - before[k];
        return new OpCount(Delta(StorageOperationKind.Get), Delta(StorageOperationKind.Put), Delta(StorageOperationKind.Delete), Delta(StorageOperationKind.List));
    }

    /// <summary>
    /// Runs the four write kinds of issue item 3 on <paramref name="samples"/> fresh ids and adds one figure per kind
    /// (total ops; the unit names the breakdown by kind of the median sample).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, OpCount>> AddFiguresAsync(Report report, string path, int samples, IStorageOperationCounter counter,
        Func<string, Task> first, Func<string, Task> steady, Func<string, Task> keyChange, Func<string, Task> patch)
    {
        var scenarios = new (string Name, Func<string, Task> Write)[] { ("first", first), ("steady", steady), ("key_change", keyChange), ("patch", patch) };
        var counts = scenarios.ToDictionary(s => s.Name, _ => new List<OpCount>());
        for (var i = 0; i < samples; i++)
        {
            var id = $"OPS-{path}-{i}-{Guid.NewGuid():N}"[..24];
            foreach (var (name, write) in scenarios)
            {
                counts[name].Add(await MeasureAsync(counter, () => write(id)));
            }
        }

        var typicalByScenario = new Dictionary<string, OpCount>(StringComparer.Ordinal);
        foreach (var (name, _) in scenarios)
        {
            var list = counts[name];
            var figure = Figure.FromSamples($"ops_{path}_{name}_write", "storage ops", list.Select(c => (double)c.Total).ToList());
            var typical = list.OrderBy(c => c.Total).ElementAt(list.Count / 2);
            report.Add(figure with { Unit = $"ops ({typical})" });
            typicalByScenario[name] = typical;
        }

        return typicalByScenario;
    }
}
