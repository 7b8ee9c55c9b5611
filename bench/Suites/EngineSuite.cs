using EccoStudio.Engine.Azurite;
using EccoStudio.Bench.Measurement;
using EccoStudio.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Bench.Suites;

/// <summary>
/// Issue item 6: engine work items per second — activities plus orchestrator episodes — for a chain orchestration of
/// no-op activities (K activities = K activity work items + K+1 episodes), many instances at once, on the in-memory
/// engine and on DurableTask.AzureStorage over Azurite.
/// </summary>
public sealed class EngineSuite(bool quick, TextWriter log)
{
    private const string Chain = "BenchChain";
    private const string Noop = "BenchNoop";
    private const int Activities = 5;
    private static int s_instances;

    public async Task RunAsync(Report report)
    {
        var memory = await MeasureAsync(new DurableEngineOptions { Backend = EngineBackend.InMemory }, "memory",
            orchestrations: quick ? 100 : 200, runs: quick ? 3 : 5, poll: false);
        report.Add(memory.As("engine_work_items_per_s", $"in-memory engine, chain of {Activities} no-op activities, all instances started at once"));

        if (AzuriteProcess.FindExecutable() is null)
        {
            report.Note("engine on Azurite skipped: node_modules/.bin/azurite is missing (run `npm ci` at the repo root).");
            return;
        }

        log.WriteLine("[engine] starting Azurite");
        // The same launcher dev and the tests use (free ports, process tree killed on dispose).
        var location = Path.Combine(Path.GetTempPath(), "bench-azurite-" + Guid.NewGuid().ToString("N"));
        var azurite = await AzuriteProcess.StartAsync(location);
        try
        {
            var azure = await MeasureAsync(new DurableEngineOptions
            {
                Backend = EngineBackend.AzureStorage,
                ConnectionString = azurite.ConnectionString,
                TaskHubName = "bench" + Guid.NewGuid().ToString("N")[..8],
                WorkerId = "bench-worker",
                PartitionCount = 4,
            }, "azurite", orchestrations: quick ? 20 : 40, runs: 3, poll: true);
            report.Add(azure.As("engine_azurite_work_items_per_s", $"DurableTask.AzureStorage on Azurite, chain of {Activities} no-op activities"));
            report.Add(Figure.Ratio("engine_azurite_over_memory", azure, memory));
        }
        finally
        {
            await azurite.DisposeAsync();
            Directory.Delete(location, recursive: true);
        }
    }

    private async Task<Figure> MeasureAsync(DurableEngineOptions options, string label, int orchestrations, int runs, bool poll)
    {
        log.WriteLine($"[engine/{label}] {orchestrations} chains of {Activities} activities per run");
        await using var engine = await DurableEngine.StartAsync(options, registry =>
        {
            registry.AddOrchestratorFunc<int, int>(Chain, async (context, count) =>
            {
                var sum = 0;
                for (var i = 0; i < count; i++)
                {
                    sum += await context.CallActivityAsync<int>(Noop, i);
                }

                return sum;
            });
            registry.AddActivityFunc<int, int>(Noop, (_, value) => value);
        });
        var runner = new Runner(warmups: 1, runs: runs);
        var workItemsPerOrchestration = Activities + (Activities + 1);
        return await runner.RateAsync($"engine_{label}_work_items_per_s", "work items/s", async _ =>
        {
            var ids = await Task.WhenAll(Enumerable.Range(0, orchestrations).Select(i =>
                engine.Client.ScheduleNewOrchestrationInstanceAsync(new TaskName(Chain), Activities,
                    new StartOrchestrationOptions($"chain-{Interlocked.Increment(ref s_instances)}-{Guid.NewGuid():N}"))));
            await Task.WhenAll(ids.Select(id => WaitAsync(engine.Client, id, poll)));
            return orchestrations * workItemsPerOrchestration;
        });
    }

    private static async Task WaitAsync(DurableTaskClient client, string id, bool poll)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        OrchestrationMetadata? done;
        if (!poll)
        {
            done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: false, guard.Token);
        }
        else
        {
            // WaitForInstanceCompletionAsync polls every ~2 s on Azure Storage: poll the status ourselves.
            while ((done = await client.GetInstanceAsync(id, getInputsAndOutputs: false, guard.Token)) is null || !done.IsCompleted)
            {
                await Task.Delay(100, guard.Token);
            }
        }

        if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            throw new InvalidOperationException($"Chain {id} ended {done.RuntimeStatus}.");
        }
    }
}
