using EccoStudio.Bench.Measurement;

namespace EccoStudio.Bench.Suites;

/// <summary>The headline keys of issue 6, derived from the suites that ran (a key is absent when its suite did not run).</summary>
public static class Summary
{
    /// <summary>Operations of one orchestrated steady write by kind (set by the writes suite).</summary>
    public static (double Get, double Put, double Delete, double List)? SteadyMix { get; set; }

    public static void Add(Report report)
    {
        Alias(report, "http_p50_ms", "p50_ms", "end-to-end single write through HTTP (PUT + status polling every 5 ms), light load");
        Alias(report, "http_p95_ms", "p95_ms", null);
        Alias(report, "http_p99_ms", "p99_ms", null);
        Alias(report, "http_writes_per_s_saturation", "writes_per_s_saturation", "HTTP full path, 64 writers");

        if (SteadyMix is { } mix && report.TryFind("orchestrated_writes_per_s", out var orchestrated)
            && report.TryFind("emulator_memory_puts_per_s", out var puts) && report.TryFind("emulator_memory_gets_per_s", out var gets)
            && report.TryFind("emulator_memory_small_lists_per_s", out var lists))
        {
            // The storage's own limit for this write: 1 / (gets/write ÷ gets/s + puts/write ÷ puts/s + lists/write ÷ lists/s).
            double FloorWrites(Func<Figure, double> pick) =>
                1 / (mix.Get / pick(gets) + mix.Put / pick(puts) + mix.Delete / pick(puts) + mix.List / pick(lists));
            var floor = report.Add(new Figure("storage_floor_writes_per_s", "writes/s", FloorWrites(f => f.Median), FloorWrites(f => f.Min), FloorWrites(f => f.Max),
                Math.Min(puts.Runs, gets.Runs))
            {
                Note = $"raw emulator ops/s ÷ ops per orchestrated steady write ({mix.Get} get, {mix.Put} put, {mix.Delete} delete, {mix.List} list)",
            });
            report.Add(Figure.Ratio("storage_floor_fraction", orchestrated, floor) with
            {
                Note = "orchestrated writes/s ÷ storage_floor_writes_per_s (same in-memory emulator, raw single-call ops)",
            });
        }
    }

    private static void Alias(Report report, string from, string to, string? note)
    {
        if (report.TryFind(from, out var figure))
        {
            report.Add(figure.As(to, note));
        }
    }
}
