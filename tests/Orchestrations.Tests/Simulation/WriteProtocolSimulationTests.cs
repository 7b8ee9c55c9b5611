using System.Globalization;
using Xunit.Abstractions;

namespace EccoStudio.Orchestrations.Tests.Simulation;

/// <summary>
/// The write protocol converges under every interleaving the seeded simulation produces. <c>ECCO_SIM_SEED=N</c> runs
/// (replays) that one seed; <c>ECCO_SIM_SEEDS=N</c> sets how many seeds a run covers (default 2,000).
/// </summary>
public sealed class WriteProtocolSimulationTests(ITestOutputHelper output)
{
    private static int? SingleSeed => int.TryParse(Environment.GetEnvironmentVariable("ECCO_SIM_SEED"), CultureInfo.InvariantCulture, out var s) ? s : null;

    private static int SeedCount => int.TryParse(Environment.GetEnvironmentVariable("ECCO_SIM_SEEDS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 2000;

    [Fact]
    public async Task Simulate_ThousandsOfSeeds_EveryRunConverges()
    {
        var seeds = SingleSeed is { } one ? [one] : Enumerable.Range(1, SeedCount).ToArray();
        var (failure, runs) = await Task.Run(() => FirstDrift(seeds, new SimulationOptions()));

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{runs.Count} seeds: {runs.Sum(r => r.Writes)} writes ({runs.Sum(r => r.FailedWrites)} failed for good), {runs.Sum(r => r.Reconciles)} reconciles, {runs.Sum(r => r.Calls)} storage calls"));
        if (failure is not null)
        {
            var file = Path.Combine(AppContext.BaseDirectory, $"simulation-seed-{failure.Seed}.txt");
            await File.WriteAllTextAsync(file, failure.Describe());
            Assert.Fail($"drift after quiescence, seed {failure.Seed} (trace: {file}):\n{failure.Describe()}");
        }
    }

    [Fact]
    public async Task Simulate_BrokenVariantIndexStepTrustsItsPlan_DriftFound()
    {
        var (failure, runs) = await Task.Run(() => FirstDrift(Enumerable.Range(1, SeedCount), new SimulationOptions { BrokenIndexStepTrustsItsPlan = true }));

        Assert.NotNull(failure);
        output.WriteLine($"broken variant caught at seed {failure.Seed} after {runs.Count} seed(s):\n{failure.Report.Summary()}");
        Assert.Contains(failure.Report.DriftCounts, p => p.Key.ToString().StartsWith("Pointer", StringComparison.Ordinal) && p.Value > 0);
    }

    [Fact]
    public async Task Simulate_SameSeedTwice_ReplaysCallForCall()
    {
        var seed = SingleSeed ?? 4242;
        var first = await Task.Run(() => WriteProtocolSimulation.Run(seed));
        var second = await Task.Run(() => WriteProtocolSimulation.Run(seed));

        Assert.True(first.Calls > 50);
        Assert.Equal(first.Trace, second.Trace);
    }

    private static (SimulationOutcome? Failure, List<SimulationOutcome> Runs) FirstDrift(IEnumerable<int> seeds, SimulationOptions options)
    {
        var runs = new List<SimulationOutcome>();
        foreach (var seed in seeds)
        {
            var outcome = WriteProtocolSimulation.Run(seed, options);
            runs.Add(outcome with { Trace = [] });
            if (!outcome.Converged)
            {
                return (outcome, runs);
            }
        }

        return (null, runs);
    }
}
