using System.Diagnostics;

namespace EccoStudio.Bench.Measurement;

/// <summary>Runs a measurement several times after warm-up and turns the samples into a <see cref="Figure"/>.</summary>
public sealed class Runner(int warmups, int runs)
{
    public int Warmups { get; } = warmups;

    public int Runs { get; } = runs;

    /// <summary>Measures a rate: <paramref name="body"/> performs work and returns how many operations it did.</summary>
    public async Task<Figure> RateAsync(string key, string unit, Func<int, Task<int>> body)
    {
        for (var i = 0; i < Warmups; i++)
        {
            await body(-1 - i);
        }

        var samples = new List<double>(Runs);
        for (var i = 0; i < Runs; i++)
        {
            var sw = Stopwatch.StartNew();
            var ops = await body(i);
            sw.Stop();
            samples.Add(ops / sw.Elapsed.TotalSeconds);
        }

        return Figure.FromSamples(key, unit, samples);
    }

    /// <summary>
    /// Measures several values per run: <paramref name="body"/> returns named values (e.g. p50/p95/p99 of the run);
    /// each name becomes a figure over the runs (median, min, max). Warm-up runs are discarded.
    /// </summary>
    public async Task<IReadOnlyList<Figure>> SamplesAsync(string unit, Func<int, Task<IReadOnlyDictionary<string, double>>> body)
    {
        for (var i = 0; i < Warmups; i++)
        {
            await body(-1 - i);
        }

        var byKey = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var order = new List<string>();
        for (var i = 0; i < Runs; i++)
        {
            foreach (var (key, value) in await body(i))
            {
                if (!byKey.TryGetValue(key, out var list))
                {
                    byKey[key] = list = [];
                    order.Add(key);
                }

                list.Add(value);
            }
        }

        return order.Select(k => Figure.FromSamples(k, unit, byKey[k])).ToList();
    }

    /// <summary>Runs <paramref name="count"/> operations on <paramref name="parallelism"/> workers.</summary>
    public static async Task<int> ParallelAsync(int count, int parallelism, Func<int, Task> op)
    {
        var next = -1;
        var workers = Enumerable.Range(0, parallelism).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await op(i);
            }
        });
        await Task.WhenAll(workers);
        return count;
    }

    /// <summary>Runs <paramref name="count"/> operations one after another, returning each one's latency in ms.</summary>
    public static async Task<List<double>> SequentialLatenciesAsync(int count, Func<int, Task> op)
    {
        var latencies = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var sw = Stopwatch.StartNew();
            await op(i);
            latencies.Add(sw.Elapsed.TotalMilliseconds);
        }

        return latencies;
    }
}
