using System.Diagnostics;
using EccoStudio.Bench.Measurement;
using EccoStudio.Bench.Support;
using EccoStudio.GcsEmulator;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Snapshots;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using Google.Cloud.Storage.V1;

namespace EccoStudio.Bench.Suites;

/// <summary>
/// Where a write's time goes: a stopwatch breakdown per storage step of the direct write and per activity of the
/// orchestrated write (single writer, steady writes), the engine's share, and the resumable-upload question — the
/// same direct writes with every put as ONE multipart request instead of the client's two-request resumable upload.
/// </summary>
public sealed class ProfileSuite(bool quick, TextWriter log)
{
    private readonly int _writes = quick ? 20 : 40;
    private readonly int _perRun = quick ? 80 : 200;
    private readonly Runner _runner = new(warmups: 1, runs: quick ? 3 : 5);

    public async Task RunAsync(Report report)
    {
        await using var server = await GcsEmulatorServer.StartAsync(new GcsEmulatorOptions { PubSubEmulatorHost = "none" });
        var client = DirectStorage.Client(server.BaseUri);
        await StepsAsync(report, client);
        await ActivitiesAsync(report, client);
        await UploadsAsync(report, server, client);
    }

    private async Task StepsAsync(Report report, StorageClient client)
    {
        var bucket = DirectStorage.NewBucket("steps");
        await client.CreateBucketAsync("ecco-local", bucket);
        var context = DirectStorage.Context(DirectStorage.Store(client, new StorageOperationCounter()), bucket);
        var ids = Enumerable.Range(0, _writes).Select(i => $"P{i:D4}").ToArray();
        var pipeline = new EntityWritePipeline(context);
        foreach (var id in ids)
        {
            await pipeline.WriteAsync(Ventures.Target(id), Ventures.Document(id), Ulid.NewUlid());
        }

        log.WriteLine("[profile] direct write, stopwatch per step (single writer, steady writes)");
        string[] steps = ["validate", "history", "snapshot", "manifest", "indices"];
        report.AddRange(await _runner.SamplesAsync("ms per write", async run =>
        {
            var totals = new double[steps.Length];
            foreach (var id in ids)
            {
                var target = Ventures.Target(id);
                var sw = Stopwatch.StartNew();
                var prepared = await new ChangeValidator(context).PrepareAsync(target, Ventures.Document(id, mrr: 40000 + run), Ulid.NewUlid());
                totals[0] += Lap(sw);
                await new HistoryWriter(context).AppendAsync(prepared);
                totals[1] += Lap(sw);
                var snapshot = await new SnapshotWriter(context).ApplyAsync(target, prepared.Record);
                totals[2] += Lap(sw);
                await new ManifestWriter(context).UpsertEntryAsync(target, snapshot.After);
                totals[3] += Lap(sw);
                await new IndexWriter(context).SyncAsync(target, snapshot.Before, snapshot.After, snapshot.Generation);
                totals[4] += Lap(sw);
            }

            var result = steps.Select((s, i) => KeyValuePair.Create($"profile_direct_{s}_ms", totals[i] / ids.Length)).ToDictionary();
            result["profile_direct_total_ms"] = totals.Sum() / ids.Length;
            return result;
        }));
    }

    private async Task ActivitiesAsync(Report report, StorageClient client)
    {
        var bucket = DirectStorage.NewBucket("acts");
        await client.CreateBucketAsync("ecco-local", bucket);
        var timings = new ActivityTimings();
        await using var stack = await OrchestratedWritePath.StartAsync(client, bucket, decorate: timings.Decorate);
        var ids = Enumerable.Range(0, _writes).Select(i => $"A{i:D4}").ToArray();
        foreach (var id in ids)
        {
            await stack.WriteAsync(id, Ventures.Text(id));
        }

        log.WriteLine("[profile] orchestrated write, stopwatch per activity (single writer, steady writes)");
        report.AddRange(await _runner.SamplesAsync("ms per write", async run =>
        {
            timings.Reset();
            var sw = Stopwatch.StartNew();
            foreach (var id in ids)
            {
                await stack.WriteAsync(id, Ventures.Text(id, mrr: 40000 + run));
            }

            var endToEnd = sw.Elapsed.TotalMilliseconds / ids.Length;
            var result = timings.Snapshot().OrderBy(p => p.Key, StringComparer.Ordinal)
                .ToDictionary(p => $"profile_activity_{Short(p.Key)}_ms", p => p.Value.Ms / ids.Length);
            var inActivities = timings.Snapshot().Values.Sum(t => t.Ms) / ids.Length;
            result["profile_activities_total_ms"] = inActivities;
            result["profile_orchestrated_total_ms"] = endToEnd;
            result["profile_engine_overhead_ms"] = endToEnd - inActivities;
            return result;
        }));
        report.Add(Figure.Ratio("profile_engine_share", report.Find("profile_engine_overhead_ms"), report.Find("profile_orchestrated_total_ms")) with
        {
            Note = "share of a single orchestrated write's latency spent outside activities (scheduling, episodes, gRPC, status)",
        });
    }

    private async Task UploadsAsync(Report report, GcsEmulatorServer server, StorageClient client)
    {
        log.WriteLine("[profile] resumable (client default, 2 requests) vs single-request multipart puts");
        using var http = new HttpClient();
        var counter = new StorageOperationCounter();
        var defaultBucket = DirectStorage.NewBucket("resumable");
        var singleBucket = DirectStorage.NewBucket("multipart");
        await client.CreateBucketAsync("ecco-local", defaultBucket);
        await client.CreateBucketAsync("ecco-local", singleBucket);
        var gcs = DirectStorage.Store(client, counter);
        var single = new SingleRequestUploadStore(gcs, http, server.BaseUri, counter);

        // Raw: one small JSON object per put, single writer.
        var payload = JsonText.ToBytes(Ventures.Document("RAW"));
        var n = 0;
        async Task<IReadOnlyDictionary<string, double>> Raw(IObjectStore store, string bucket, string key)
        {
            var latencies = await Runner.SequentialLatenciesAsync(_perRun, async _ =>
                await store.PutAsync(bucket, $"raw/{Interlocked.Increment(ref n)}.json", payload, PutOptions.CreateOnly));
            return new Dictionary<string, double> { [key] = latencies.Average() };
        }

        var rawResumable = report.Add((await _runner.SamplesAsync("ms per put", _ => Raw(gcs, defaultBucket, "profile_put_resumable_ms"))).Single());
        var rawSingle = report.Add((await _runner.SamplesAsync("ms per put", _ => Raw(single, singleBucket, "profile_put_multipart_ms"))).Single());
        report.Add(Figure.Ratio("profile_put_resumable_over_multipart_latency", rawResumable, rawSingle));

        // Reads: GcsObjectStore.GetAsync = metadata call + media call; each part alone.
        var readName = "raw/1.json";
        using var media = new HttpClient();
        var mediaUri = new Uri(server.BaseUri, $"download/storage/v1/b/{defaultBucket}/o/{Uri.EscapeDataString(readName)}?alt=media");
        async Task<IReadOnlyDictionary<string, double>> Reads(string key, Func<Task> read) =>
            new Dictionary<string, double> { [key] = (await Runner.SequentialLatenciesAsync(_perRun, _ => read())).Average() };
        report.Add((await _runner.SamplesAsync("ms per get", _ => Reads("profile_get_store_ms", () => gcs.GetAsync(defaultBucket, readName)))).Single() with
        {
            Note = "GcsObjectStore.GetAsync: objects.get (metadata) then a media download of that generation",
        });
        report.Add((await _runner.SamplesAsync("ms per get", _ => Reads("profile_get_metadata_ms", () => client.GetObjectAsync(defaultBucket, readName)))).Single());
        report.Add((await _runner.SamplesAsync("ms per get", _ => Reads("profile_get_client_media_ms", async () =>
        {
            using var buffer = new MemoryStream();
            await client.DownloadObjectAsync(defaultBucket, readName, buffer);
        }))).Single());
        report.Add((await _runner.SamplesAsync("ms per get", _ => Reads("profile_get_client_media_64k_chunk_ms", async () =>
        {
            using var buffer = new MemoryStream();
            await client.DownloadObjectAsync(defaultBucket, readName, buffer, new DownloadObjectOptions { ChunkSize = SingleRequestUploadStore.SmallChunk });
        }))).Single() with { Note = "the same client download with DownloadObjectOptions.ChunkSize = 64 KiB (default 10 MiB)" });
        report.Add((await _runner.SamplesAsync("ms per get", _ => Reads("profile_get_raw_media_ms", async () =>
        {
            using var response = await media.GetAsync(mediaUri);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
        }))).Single() with { Note = "one plain HTTP GET ?alt=media (x-goog-generation in the response headers)" });

        // The direct write path with each store, 16 writers, steady writes.
        async Task<Figure> Writes(IObjectStore store, string bucket, string key)
        {
            var pipeline = new EntityWritePipeline(DirectStorage.Context(store, bucket));
            var ids = Enumerable.Range(0, _perRun).Select(i => $"U{i:D5}").ToArray();
            await Runner.ParallelAsync(ids.Length, WritePathSuite.Writers, i => pipeline.WriteAsync(Ventures.Target(ids[i]), Ventures.Document(ids[i]), Ulid.NewUlid()));
            return report.Add(await _runner.RateAsync(key, "writes/s", async run =>
                await Runner.ParallelAsync(ids.Length, WritePathSuite.Writers,
                    i => pipeline.WriteAsync(Ventures.Target(ids[i]), Ventures.Document(ids[i], mrr: 50000 + run), Ulid.NewUlid()))));
        }

        var tunedBucket = DirectStorage.NewBucket("tuned");
        await client.CreateBucketAsync("ecco-local", tunedBucket);
        var tuned = new SingleRequestUploadStore(gcs, http, server.BaseUri, counter, client);
        var resumable = await Writes(gcs, defaultBucket, "profile_direct_resumable_writes_per_s");
        var multipart = await Writes(single, singleBucket, "profile_direct_multipart_writes_per_s");
        var both = await Writes(tuned, tunedBucket, "profile_direct_tuned_writes_per_s");
        report.Add(Figure.Ratio("profile_tuned_over_default_writes", both, resumable) with
        {
            Note = "direct writes/s with single-request puts AND 64 KiB download chunks ÷ the current GcsObjectStore (the proposed improvement)",
        });
        report.Add(Figure.Ratio("profile_multipart_over_resumable_writes", multipart, resumable) with
        {
            Note = "direct writes/s when every put is one multipart request instead of a resumable upload (2 requests)",
        });
    }

    private static double Lap(Stopwatch sw)
    {
        var ms = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        return ms;
    }

    private static string Short(string activity) =>
        activity.EndsWith("Activity", StringComparison.Ordinal) ? activity[..^"Activity".Length].ToLowerInvariant() : activity.ToLowerInvariant();
}
