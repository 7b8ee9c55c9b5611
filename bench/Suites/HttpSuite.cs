using EccoStudio.Bench.Measurement;
using EccoStudio.Bench.Support;
using EccoStudio.Host.Dev;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Bench.Suites;

/// <summary>
/// Issue item 2, the full path: writes through the local host's HTTP surface (<c>PUT /api/dev/ventures/{id}</c> →
/// 202 → status polling until Completed), with the direct baseline measured side by side on the host's own GCS
/// emulator (disk-backed, as <c>dev</c> runs it). End-to-end latency p50/p95/p99 under light load (one writer,
/// status polled every 5 ms), writes/s at saturation, and operations per write counted inside the host.
/// </summary>
public sealed class HttpSuite(bool quick, TextWriter log)
{
    private static readonly TimeSpan LatencyPoll = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan ThroughputPoll = TimeSpan.FromMilliseconds(50);

    private readonly int _perRun = quick ? 80 : 200;
    private readonly int _latencyWrites = quick ? 15 : 30;
    private readonly int _saturationWrites = quick ? 160 : 400;
    private readonly Runner _runner = new(warmups: 1, runs: quick ? 3 : 5);

    public async Task RunAsync(Report report)
    {
        var data = Path.Combine(Path.GetTempPath(), "ecco-bench-host-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using var host = await DevHost.StartAsync(
                new DevSettings { Port = 0, GcsPort = 0, DataDirectory = data },
                [
                    new("Logging:LogLevel:Default", "Warning"),
                    new("Logging:LogLevel:EccoStudio", "Warning"),
                ]);
            await MeasureAsync(report, host);
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp directory left behind is harmless.
            }
        }
    }

    private async Task MeasureAsync(Report report, DevHost host)
    {
        using var http = new HttpClient { BaseAddress = host.BaseUri, Timeout = TimeSpan.FromMinutes(2) };
        var writer = new HttpWriter(http);
        Task Http(string id, string body, TimeSpan poll, bool patch = false) => writer.WriteAsync(id, body, patch, poll);

        var client = DirectStorage.Client(host.GcsBaseUri);
        var bucket = DirectStorage.NewBucket("direct");
        // Versioned like the host's bucket, so both paths write to the same kind of bucket.
        await client.CreateBucketAsync("ecco-local", new Google.Apis.Storage.v1.Data.Bucket
        {
            Name = bucket,
            Versioning = new Google.Apis.Storage.v1.Data.Bucket.VersioningData { Enabled = true },
        });
        var pipeline = new EntityWritePipeline(DirectStorage.Context(DirectStorage.Store(client, new StorageOperationCounter()), bucket));
        Task Direct(string id, string text) => pipeline.WriteAsync(Ventures.Target(id), JsonText.ParseObject(text), Ulid.NewUlid());

        var ids = Enumerable.Range(0, _perRun).Select(i => $"W{i:D5}").ToArray();
        log.WriteLine($"[http] seeding {ids.Length} ventures per path (untimed)");
        await Runner.ParallelAsync(ids.Length, WritePathSuite.Writers, i => Direct(ids[i], Ventures.Text(ids[i])));
        await Runner.ParallelAsync(ids.Length, WritePathSuite.Writers, i => Http(ids[i], Ventures.HttpBody(12000), ThroughputPoll));

        log.WriteLine($"[http] direct (host's emulator) vs HTTP, {WritePathSuite.Writers} writers, {_perRun} steady writes per run");
        var directRate = report.Add(await _runner.RateAsync("host_direct_writes_per_s", "writes/s", async run =>
            await Runner.ParallelAsync(ids.Length, WritePathSuite.Writers, i => Direct(ids[i], Ventures.Text(ids[i], mrr: 20000 + run)))));
        var httpRate = report.Add(await _runner.RateAsync("http_writes_per_s", "writes/s", async run =>
            await Runner.ParallelAsync(ids.Length, WritePathSuite.Writers, i => Http(ids[i], Ventures.HttpBody(20000 + run), ThroughputPoll))));
        report.Add(Figure.Ratio("http_over_direct", httpRate, directRate) with
        {
            Note = $"HTTP (PUT + status polling every {ThroughputPoll.TotalMilliseconds} ms, completed) ÷ direct writes/s on the host's disk-backed emulator, {WritePathSuite.Writers} writers",
        });

        await WorkItemCounter.AddFiguresAsync(report, "engine_work_items_per_write_http", _runner.Runs, ids, WritePathSuite.Writers,
            (id, pass) => Http(id, Ventures.HttpBody(25000 + pass), ThroughputPoll));

        log.WriteLine("[http] single-writer end-to-end latency");
        report.AddRange(await _runner.SamplesAsync("ms", async _ =>
        {
            var latencies = new Percentiles(await Runner.SequentialLatenciesAsync(_latencyWrites,
                i => Http(ids[i % ids.Length], Ventures.HttpBody(21000 + i), LatencyPoll)));
            return new Dictionary<string, double>
            {
                ["http_p50_ms"] = latencies.At(50),
                ["http_p95_ms"] = latencies.At(95),
                ["http_p99_ms"] = latencies.At(99),
            };
        }));

        log.WriteLine($"[http] saturation, {WritePathSuite.SaturationWriters} writers");
        var satIds = Enumerable.Range(0, _saturationWrites).Select(i => $"T{i:D5}").ToArray();
        await Runner.ParallelAsync(satIds.Length, WritePathSuite.SaturationWriters, i => Http(satIds[i], Ventures.HttpBody(12000), ThroughputPoll));
        report.Add(await _runner.RateAsync("http_writes_per_s_saturation", "writes/s", async run =>
            await Runner.ParallelAsync(satIds.Length, WritePathSuite.SaturationWriters, i => Http(satIds[i], Ventures.HttpBody(30000 + run), ThroughputPoll))));

        log.WriteLine("[http] counting storage operations per write kind (inside the host)");
        var counter = host.Services.GetRequiredService<IStorageOperationCounter>();
        await OpCount.AddFiguresAsync(report, "http", quick ? 3 : 5, counter,
            id => Http(id, Ventures.HttpBody(12000), LatencyPoll),
            id => Http(id, Ventures.HttpBody(13000), LatencyPoll),
            id => Http(id, Ventures.HttpBody(13000, status: "Build"), LatencyPoll),
            id => Http(id, Ventures.HttpPatch(14000), LatencyPoll, patch: true));
    }
}
