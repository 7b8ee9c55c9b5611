using EccoStudio.Bench.Measurement;
using EccoStudio.Bench.Support;
using EccoStudio.GcsEmulator;
using EccoStudio.GcsEmulator.Faults;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;

namespace EccoStudio.Bench.Suites;

/// <summary>
/// Issue items 1–4 on one in-memory GCS emulator: the direct write (<see cref="EntityWritePipeline"/>, no engine)
/// against the same writes through <c>WriteEntityOrchestrator</c> on the in-memory engine (throughput with N writers
/// over distinct ids, single-writer latency, saturation), storage operations per write by kind, and the hot-object
/// check (GCS's one-mutation-per-object-per-second limit on vs off).
/// </summary>
public sealed class WritePathSuite(bool quick, TextWriter log)
{
    public const int Writers = 16;
    public const int SaturationWriters = 64;

    private readonly int _perRun = quick ? 80 : 200;
    private readonly int _latencyWrites = quick ? 15 : 30;
    private readonly int _saturationWrites = quick ? 160 : 400;
    private readonly Runner _runner = new(warmups: 1, runs: quick ? 3 : 5);

    public async Task RunAsync(Report report)
    {
        await using var server = await GcsEmulatorServer.StartAsync(new GcsEmulatorOptions { PubSubEmulatorHost = "none" });
        var client = DirectStorage.Client(server.BaseUri);
        var directBucket = DirectStorage.NewBucket("direct");
        var orchBucket = DirectStorage.NewBucket("orch");
        await client.CreateBucketAsync("ecco-local", directBucket);
        await client.CreateBucketAsync("ecco-local", orchBucket);

        var directCounter = new StorageOperationCounter();
        var direct = DirectStorage.Context(DirectStorage.Store(client, directCounter), directBucket);
        var pipeline = new EntityWritePipeline(direct);
        Task Direct(string id, string text, ChangeKind change = ChangeKind.Full) =>
            pipeline.WriteAsync(Ventures.Target(id), JsonText.ParseObject(text), Ulid.NewUlid(), change);

        await using var orchestrated = await OrchestratedWritePath.StartAsync(client, orchBucket);
        Task Orchestrated(string id, string text, ChangeKind change = ChangeKind.Full) => orchestrated.WriteAsync(id, text, change);

        // 1 + 2: steady writes by N writers over distinct ids (each id written once per run), same ids for both paths.
        var ids = Enumerable.Range(0, _perRun).Select(i => $"V{i:D5}").ToArray();
        log.WriteLine($"[writes] seeding {ids.Length} ventures per path (first writes, untimed)");
        await Runner.ParallelAsync(ids.Length, Writers, i => Direct(ids[i], Ventures.Text(ids[i])));
        await Runner.ParallelAsync(ids.Length, Writers, i => Orchestrated(ids[i], Ventures.Text(ids[i])));

        log.WriteLine($"[writes] direct vs orchestrated, {Writers} writers, {_perRun} steady writes per run");
        var directRate = report.Add(await _runner.RateAsync("direct_writes_per_s", "writes/s", async run =>
            await Runner.ParallelAsync(ids.Length, Writers, i => Direct(ids[i], Ventures.Text(ids[i], mrr: 20000 + run)))));
        var orchRate = report.Add(await _runner.RateAsync("orchestrated_writes_per_s", "writes/s", async run =>
            await Runner.ParallelAsync(ids.Length, Writers, i => Orchestrated(ids[i], Ventures.Text(ids[i], mrr: 20000 + run)))));
        report.Add(Figure.Ratio("orchestrated_over_direct", orchRate, directRate) with
        {
            Note = "orchestrated/direct writes/s, same emulator, same documents, " + Writers + " writers (goal >= 0.5); the orchestrated write also evaluates rules",
        });
        var perWrite = await WorkItemCounter.AddFiguresAsync(report, "engine_work_items_per_write", _runner.Runs, ids, Writers,
            (id, pass) => Orchestrated(id, Ventures.Text(id, mrr: 25000 + pass)));
        await WorkItemCounter.AddFiguresAsync(report, "engine_work_items_per_write_unvalidated", _runner.Runs, ids, Writers,
            (id, pass) => orchestrated.WriteAsync(id, Ventures.Text(id, mrr: 26000 + pass), validated: false));
        report.Add((orchRate with { Median = orchRate.Median * perWrite, Min = orchRate.Min * perWrite, Max = orchRate.Max * perWrite })
            .As("orchestrated_write_work_items_per_s", $"orchestrated_writes_per_s × engine_work_items_per_write ({perWrite:F2})") with { Unit = "work items/s" });

        log.WriteLine("[writes] single-writer latency (light load)");
        report.AddRange(await LatencyAsync("direct", id => Direct(id, Ventures.Text(id)), ids));
        report.AddRange(await LatencyAsync("orchestrated", id => Orchestrated(id, Ventures.Text(id)), ids));

        log.WriteLine($"[writes] orchestrated saturation, {SaturationWriters} writers");
        var satIds = Enumerable.Range(0, _saturationWrites).Select(i => $"S{i:D5}").ToArray();
        await Runner.ParallelAsync(satIds.Length, SaturationWriters, i => Orchestrated(satIds[i], Ventures.Text(satIds[i])));
        report.Add(await _runner.RateAsync("orchestrated_writes_per_s_saturation", "writes/s", async run =>
            await Runner.ParallelAsync(satIds.Length, SaturationWriters, i => Orchestrated(satIds[i], Ventures.Text(satIds[i], mrr: 30000 + run)))));

        // 3: operations per write, counted.
        log.WriteLine("[ops] counting storage operations per write kind");
        var samples = quick ? 3 : 5;
        await OpCount.AddFiguresAsync(report, "direct", samples, directCounter,
            id => Direct(id, Ventures.Text(id)),
            id => Direct(id, Ventures.Text(id, mrr: 13000)),
            id => Direct(id, Ventures.Text(id, status: "Build", mrr: 13000)),
            id => Direct(id, Ventures.PatchText(id, 14000), ChangeKind.MergePatch));
        var orchestratedCounts = await OpCount.AddFiguresAsync(report, "orchestrated", samples, orchestrated.Counter,
            id => Orchestrated(id, Ventures.Text(id)),
            id => Orchestrated(id, Ventures.Text(id, mrr: 13000)),
            id => Orchestrated(id, Ventures.Text(id, status: "Build", mrr: 13000)),
            id => Orchestrated(id, Ventures.PatchText(id, 14000), ChangeKind.MergePatch));
        var steady = orchestratedCounts["steady"];
        Summary.SteadyMix = (steady.Get, steady.Put, steady.Delete, steady.List);
        report.Add(report.Find("ops_orchestrated_steady_write").As("ops_per_steady_write",
            "full engine write path as the API starts it (validation in process, staging, history, snapshot, manifest entry, indices, rules lookup); the storage steps alone: ops_direct_steady_write (goal <= 5)"));

        // 4: hot-object check.
        log.WriteLine("[hot] per-object mutation limit off vs on (first writes over distinct ids)");
        var hotRuns = quick ? 3 : 5;
        var batch = 0;
        async Task<int> FreshWrites(int _)
        {
            var prefix = $"H{Interlocked.Increment(ref batch):D3}-";
            return await Runner.ParallelAsync(_perRun, Writers, i => Direct(prefix + i, Ventures.Text(prefix + i)));
        }

        // Runs alternate off/on so that drift in the machine's load hits both sides alike.
        var offSamples = new List<double>();
        var onSamples = new List<double>();
        var refusedBefore = MutationRefusals(server);
        try
        {
            await FreshWrites(0);
            for (var run = 0; run < hotRuns; run++)
            {
                foreach (var limit in new[] { false, true })
                {
                    server.Faults.Update(new FaultSettings { PerObjectMutationLimit = limit });
                    var sw = System.Diagnostics.Stopwatch.StartNew();
                    var n = await FreshWrites(run);
                    (limit ? onSamples : offSamples).Add(n / sw.Elapsed.TotalSeconds);
                }
            }
        }
        finally
        {
            server.Faults.Update(new FaultSettings { PerObjectMutationLimit = false });
        }

        var off = report.Add(Figure.FromSamples("hot_limit_off_writes_per_s", "writes/s", offSamples));
        var on = report.Add(Figure.FromSamples("hot_limit_on_writes_per_s", "writes/s", onSamples));
        var refused = MutationRefusals(server) - refusedBefore;
        report.Add(Figure.Ratio("hot_object_ratio", on, off) with
        {
            Note = $"direct writes/s with GCS's 1 mutation/s/object limit on ÷ off, {Writers} writers over distinct ids (goal >= 0.9); 429s from the limit during the 'on' runs: {refused}",
        });
        report.Add(new Figure("hot_limit_refusals", "429 responses", refused, refused, refused, 1));
    }

    private async Task<IReadOnlyList<Figure>> LatencyAsync(string path, Func<string, Task> write, string[] ids) =>
        await _runner.SamplesAsync("ms", async run =>
        {
            var latencies = new Percentiles(await Runner.SequentialLatenciesAsync(_latencyWrites, i => write(ids[i % ids.Length])));
            return new Dictionary<string, double>
            {
                [$"{path}_p50_ms"] = latencies.At(50),
                [$"{path}_p95_ms"] = latencies.At(95),
                [$"{path}_p99_ms"] = latencies.At(99),
            };
        });

    private static long MutationRefusals(GcsEmulatorServer server) => server.Faults.Stats.Count(FaultKind.MutationLimit);
}
