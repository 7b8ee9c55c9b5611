using System.Text;
using EccoStudio.Bench.Measurement;
using EccoStudio.GcsEmulator;
using Google.Cloud.Storage.V1;

namespace EccoStudio.Bench.Suites;

/// <summary>
/// The floor the storage sets: our GCS emulator's own throughput for create-only puts, gets and listings,
/// driven by the real Google.Cloud.Storage.V1 client over HTTP. The baseline, run in the same process, is a
/// trivial HTTP round trip to the same Kestrel server, so the ratios say how much of a storage call is the
/// emulator's own work rather than HTTP.
/// </summary>
public sealed class EmulatorFloorSuite(bool quick, TextWriter log, bool memoryOnly = false)
{
    private const int Parallelism = 8;
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes(
        "{\"id\":\"V001\",\"entity\":\"venture\",\"env\":\"dev\",\"schema_version\":\"1.0.0\",\"created_at\":\"2025-11-01T00:00:00Z\"," +
        "\"updated_at\":\"2025-11-06T10:21:23Z\",\"lead\":\"Bob\",\"status\":\"Pilot\",\"budget\":{\"plannedUSD\":300000,\"spentUSD\":45000}," +
        "\"kpis\":{\"MRR\":12000,\"userCount\":1200,\"churnRate\":0.02}}");

    public async Task RunAsync(Report report)
    {
        var runner = new Runner(warmups: 1, runs: quick ? 3 : 5);
        // As part of the whole run (memoryOnly) the floor is measured on fewer operations to keep the time budget.
        var perRun = memoryOnly ? (quick ? 400 : 1_000) : (quick ? 1_000 : 3_000);
        var listSize = memoryOnly ? (quick ? 2_000 : 5_000) : 10_000;

        var stores = new[] { ("memory", (string?)null), ("disk", Path.Combine(Path.GetTempPath(), "ecco-bench-" + Guid.NewGuid().ToString("N"))) };
        foreach (var (label, dataDir) in memoryOnly ? stores[..1] : stores)
        {
            log.WriteLine($"[emulator/{label}] starting");
            await using var server = await GcsEmulatorServer.StartAsync(new GcsEmulatorOptions { DataDirectory = dataDir, PubSubEmulatorHost = string.Empty });
            try
            {
                await MeasureAsync(report, runner, server, label, perRun, listSize);
            }
            finally
            {
                if (dataDir is not null)
                {
                    await server.DisposeAsync();
                    TryDelete(dataDir);
                }
            }
        }

        if (!memoryOnly)
        {
            report.Add(Figure.Ratio("emulator_disk_over_memory_puts", Find(report, "emulator_disk_puts_per_s"), Find(report, "emulator_memory_puts_per_s")));
        }
    }

    private static async Task MeasureAsync(Report report, Runner runner, GcsEmulatorServer server, string label, int perRun, int listSize)
    {
        var client = new StorageClientBuilder
        {
            BaseUri = new Uri(server.BaseUri, "storage/v1/").ToString(),
            UnauthenticatedAccess = true,
        }.Build();
        var bucket = "bench-" + Guid.NewGuid().ToString("N")[..12];
        await client.CreateBucketAsync("ecco-local", bucket);

        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var floor = report.Add(await runner.RateAsync($"emulator_{label}_http_floor_per_s", "requests/s", async _ =>
            await Runner.ParallelAsync(perRun, Parallelism, async _ =>
            {
                using var response = await http.GetAsync(new Uri("_emulator/faults", UriKind.Relative));
                response.EnsureSuccessStatusCode();
            })));

        var created = new List<string>();
        var puts = report.Add(await runner.RateAsync($"emulator_{label}_puts_per_s", "create-only puts/s", async run =>
        {
            var names = Enumerable.Range(0, perRun).Select(i => $"env/dev/ventures/V{run + 10}/history/{i:D6}.json").ToArray();
            await Runner.ParallelAsync(names.Length, Parallelism, async i =>
            {
                using var stream = new MemoryStream(Payload);
                await client.UploadObjectAsync(bucket, names[i], "application/json", stream,
                    new UploadObjectOptions { IfGenerationMatch = 0 });
            });
            if (run >= 0)
            {
                lock (created)
                {
                    created.AddRange(names);
                }
            }

            return names.Length;
        }));

        var gets = report.Add(await runner.RateAsync($"emulator_{label}_gets_per_s", "gets/s", async _ =>
            await Runner.ParallelAsync(perRun, Parallelism, async i =>
            {
                using var buffer = new MemoryStream();
                // 64 KiB chunks: with the client's default (10 MiB) every download allocates a 10 MiB buffer and
                // the figure would measure that, not the storage (see profile_get_client_media_ms).
                await client.DownloadObjectAsync(bucket, created[i % created.Count], buffer, new DownloadObjectOptions { ChunkSize = 64 * 1024 });
            })));

        // Top up to listSize objects under one prefix, then time full paged listings of it.
        var listPrefix = "env/dev/manifests/ventures/";
        await Runner.ParallelAsync(listSize, Parallelism, async i =>
        {
            using var stream = new MemoryStream(Payload);
            await client.UploadObjectAsync(bucket, $"{listPrefix}V{i:D6}.json", "application/json", stream);
        });
        report.Add(await runner.RateAsync($"emulator_{label}_listed_objects_per_s", "objects listed/s", async _ =>
        {
            var count = 0;
            await foreach (var page in client.ListObjectsAsync(bucket, listPrefix).AsRawResponses())
            {
                count += page.Items?.Count ?? 0;
            }

            if (count != listSize)
            {
                throw new InvalidOperationException($"Listing returned {count} objects, expected {listSize}.");
            }

            return count;
        }));

        // A listing call on a small prefix (what a write's rules lookup costs): calls/s.
        report.Add(await runner.RateAsync($"emulator_{label}_small_lists_per_s", "list calls/s", async _ =>
            await Runner.ParallelAsync(perRun, Parallelism, async _ =>
            {
                await client.ListObjectsAsync(bucket, "env/dev/indices/rules/by-target/venture/").ReadPageAsync(1000);
            })));

        report.Add(Figure.Ratio($"emulator_{label}_puts_over_http_floor", puts, floor));
        report.Add(Figure.Ratio($"emulator_{label}_gets_over_http_floor", gets, floor));
    }

    private static Figure Find(Report report, string key) => report.Figures.Single(f => f.Key == key);

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }
}
