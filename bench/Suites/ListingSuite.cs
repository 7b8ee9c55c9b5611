using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Bench.Measurement;
using EccoStudio.Bench.Support;
using EccoStudio.GcsEmulator;
using EccoStudio.GcsEmulator.Model;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Store;

namespace EccoStudio.Bench.Suites;

/// <summary>
/// Issue item 5 (and issue 11 item 2): listing N ventures (100k; 20k with --quick) with their display fields, from
/// compacted manifests (<see cref="ManifestReader"/>: <c>_index.ndjson</c> + shards, plus the change markers since the
/// watermark and the entries they name) vs from <c>snapshots/</c> (list, then read every snapshot). N/1000 ventures
/// changed after the compaction (entry rewritten, marker left), as between two compactions. The same data is also read
/// through an index without <c>changes</c> (the earlier rule: list every entry), for the call counts before/after.
/// The objects are put straight into the emulator's store (seeding through HTTP would take minutes); every read goes
/// through the real client. Reading all N snapshots is extrapolated from the measured read rate of a sample, so the
/// run stays within its budget.
/// </summary>
public sealed class ListingSuite(bool quick, TextWriter log)
{
    private const int ShardSize = 1000;
    private const int Parallelism = 8;
    private readonly int _entities = quick ? 20_000 : 100_000;
    private readonly int _changed = quick ? 20 : 100;
    private readonly int _sampleReads = quick ? 500 : 2_000;
    private readonly Runner _runner = new(warmups: 1, runs: 3);

    public async Task RunAsync(Report report)
    {
        await using var server = await GcsEmulatorServer.StartAsync(new GcsEmulatorOptions { PubSubEmulatorHost = "none" });
        var client = DirectStorage.Client(server.BaseUri);
        var bucket = DirectStorage.NewBucket("listing");
        await client.CreateBucketAsync("ecco-local", bucket);
        var counter = new StorageOperationCounter();
        var context = DirectStorage.Context(DirectStorage.Store(client, counter), bucket);

        var seed = Stopwatch.StartNew();
        Seed(server, bucket);
        seed.Stop();
        log.WriteLine($"[listing] seeded {_entities} snapshots + {_entities} manifest entries + {(_entities + ShardSize - 1) / ShardSize} shards in {seed.Elapsed.TotalSeconds:F1} s");
        report.Add(new Figure("listing_seed_s", "s (store, not HTTP)", seed.Elapsed.TotalSeconds, seed.Elapsed.TotalSeconds, seed.Elapsed.TotalSeconds, 1));

        var snapshotPrefix = ObjectPaths.SnapshotPrefix(Ventures.Env, EntityCatalog.Venture);
        var manifestCalls = 0L;
        var manifestLists = 0L;
        var namesCalls = 0L;
        async Task<Figure> ReadManifestAsync(string key, string? note, Action<long, long> calls) => report.Add(Single(await _runner.SamplesAsync("s", async _ =>
        {
            var (before, lists) = (counter.Total, counter.Count(StorageOperationKind.List));
            var sw = Stopwatch.StartNew();
            var entries = await new ManifestReader(context).ReadAllAsync(Ventures.Env, EntityCatalog.Venture);
            sw.Stop();
            Expect(entries.Count, "manifest entries");
            calls(counter.Total - before, counter.Count(StorageOperationKind.List) - lists);
            return new Dictionary<string, double> { [key] = sw.Elapsed.TotalSeconds };
        })) with { Note = note });

        var manifest = await ReadManifestAsync("listing_manifest_s", null, (total, lists) => (manifestCalls, manifestLists) = (total, lists));
        var shardNames = ManifestIndexHeader.Parse(await context.Store.GetAsync(bucket, ObjectPaths.ManifestIndex(Ventures.Env, EntityCatalog.Venture))).Shards;
        report.Add(Single(await _runner.SamplesAsync("s", async _ =>
        {
            var sw = Stopwatch.StartNew();
            await Runner.ParallelAsync(shardNames.Count, Parallelism, async i => _ = (await context.Store.GetAsync(bucket, shardNames[i]))!.Content.Length);
            sw.Stop();
            return new Dictionary<string, double> { ["listing_manifest_shard_fetch_s"] = sw.Elapsed.TotalSeconds };
        })) with { Note = "of the manifest read: fetching the shards alone (8 at a time, not parsed)" });
        var fullIndex = (await context.Store.GetAsync(bucket, ObjectPaths.ManifestIndex(Ventures.Env, EntityCatalog.Venture)))!;
        var header = ManifestIndexHeader.Parse(fullIndex);
        var withoutChanges = Encoding.UTF8.GetString(fullIndex.Content.Span).Replace($",\"changes\":\"{header.Changes}\"", string.Empty, StringComparison.Ordinal);
        await context.Store.PutAsync(bucket, fullIndex.Info.Name, Encoding.UTF8.GetBytes(withoutChanges), PutOptions.Replacing(fullIndex.Generation));
        var everyEntryCalls = 0L;
        var everyEntryLists = 0L;
        var everyEntry = await ReadManifestAsync("listing_manifest_every_entry_s",
            "the same read through an index without \"changes\": the reader lists every entries/ object (the rule before issue 11)",
            (total, lists) => (everyEntryCalls, everyEntryLists) = (total, lists));

        var names = report.Add(Single(await _runner.SamplesAsync("s", async _ =>
        {
            var before = counter.Total;
            var sw = Stopwatch.StartNew();
            var listed = await context.Store.ListAllAsync(bucket, snapshotPrefix);
            sw.Stop();
            Expect(listed.Count, "snapshot names");
            namesCalls = counter.Total - before;
            return new Dictionary<string, double> { ["listing_snapshot_names_s"] = sw.Elapsed.TotalSeconds };
        })));

        var sample = Enumerable.Range(0, _sampleReads).Select(i => snapshotPrefix + Id(i * (_entities / _sampleReads)) + ".json").ToArray();
        var reads = report.Add(await _runner.RateAsync("listing_snapshot_reads_per_s", "snapshot reads/s", async _ =>
            await Runner.ParallelAsync(sample.Length, Parallelism, async i =>
            {
                if (await context.Store.GetAsync(bucket, sample[i]) is null)
                {
                    throw new InvalidOperationException($"{sample[i]} is missing.");
                }
            })));

        var withFields = report.Add(new Figure("listing_snapshots_with_fields_s", "s (extrapolated)",
            names.Median + _entities / reads.Median, names.Min + _entities / reads.Max, names.Max + _entities / reads.Min, Math.Min(names.Runs, reads.Runs))
        {
            Note = $"list snapshots/ + read all {_entities} snapshots ({Parallelism} readers): listing measured, reads extrapolated from {_sampleReads} measured reads",
        });
        report.Add(Figure.Ratio("listing_speedup", withFields, manifest) with
        {
            Note = $"time to list {_entities} ventures with display fields from snapshots/ ÷ from compacted manifests",
        });
        report.Add(Figure.Ratio("listing_manifest_over_names_only", manifest, names) with
        {
            Note = "manifest read ÷ a names-only listing of snapshots/ (no fields)",
        });
        report.Add(Figure.Ratio("listing_changes_speedup", everyEntry, manifest) with
        {
            Note = "manifest read listing every entry ÷ listing only the change markers since the watermark (same data, same run)",
        });
        report.Add(Calls("listing_manifest_calls", manifestCalls,
            $"storage calls (1 index get + {header.Shards.Count} shard gets + {manifestLists} changes/ list page(s) + {_changed} changed entry gets)"));
        report.Add(Calls("listing_manifest_list_calls", manifestLists, "list calls of a manifest read (changes since the watermark, 1000 a page)"));
        report.Add(Calls("listing_manifest_every_entry_calls", everyEntryCalls,
            $"storage calls listing every entry ({everyEntryLists} entries/ list pages + reads of the entries newer than the watermark)"));
        report.Add(Calls("listing_manifest_every_entry_list_calls", everyEntryLists, "list calls of a manifest read under the earlier rule"));
        report.Add(Calls("listing_snapshot_names_calls", namesCalls, "storage calls (list pages of 1000)"));
        report.Add(Calls("listing_snapshots_with_fields_calls", namesCalls + _entities, "storage calls (list pages + one read per snapshot)"));
    }

    private void Seed(GcsEmulatorServer server, string bucket)
    {
        var kind = EntityCatalog.Venture;
        var shardLines = new string[_entities];
        Parallel.For(0, _entities, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var target = Ventures.Target(Id(i));
            var snapshot = JsonText.ParseObject(Ventures.Text(target.Id, status: i % 3 == 0 ? "Build" : "Pilot", mrr: i));
            var entry = JsonText.ToText(ManifestWriter.Entry(target, snapshot));
            shardLines[i] = entry;
            Put(server, bucket, ObjectPaths.Snapshot(target), JsonText.ToBytes(snapshot));
            Put(server, bucket, ObjectPaths.ManifestEntry(target), Encoding.UTF8.GetBytes(entry));
        });

        // What a compaction would have produced: shards of ShardSize lines, then the index whose watermark W is later
        // than every entry, listing changes from W − 2 min (the default margin).
        var compaction = Ulid.NewUlid().ToString();
        var watermark = DateTimeOffset.UtcNow.AddSeconds(1);
        var index = new StringBuilder();
        var shards = (_entities + ShardSize - 1) / ShardSize;
        index.Append(JsonText.ToText(new JsonObject
        {
            ["type"] = "header", ["entity"] = kind.Name, ["env"] = Ventures.Env, ["compaction"] = compaction,
            ["watermark"] = Rfc3339.Format(watermark), ["count"] = _entities,
            ["changes"] = ObjectPaths.ManifestChangeTime(watermark - new ManifestChangeOptions().Margin),
        })).Append('\n');
        for (var s = 0; s < shards; s++)
        {
            var lines = shardLines.Skip(s * ShardSize).Take(ShardSize).ToList();
            var name = ObjectPaths.ManifestShard(Ventures.Env, kind, compaction, s);
            Put(server, bucket, name, Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
            index.Append(JsonText.ToText(new JsonObject { ["type"] = "shard", ["ptr"] = name, ["count"] = lines.Count })).Append('\n');
        }

        Put(server, bucket, ObjectPaths.ManifestIndex(Ventures.Env, kind), Encoding.UTF8.GetBytes(index.ToString()));
        Thread.Sleep(TimeSpan.FromSeconds(1.1));

        // Changed since the compaction, spread over the ids: the entry rewritten (updated after W), then its marker.
        for (var c = 0; c < _changed; c++)
        {
            var target = Ventures.Target(Id(c * (_entities / _changed)));
            var snapshot = JsonText.ParseObject(Ventures.Text(target.Id, status: "Scale", mrr: c));
            Put(server, bucket, ObjectPaths.Snapshot(target), JsonText.ToBytes(snapshot));
            Put(server, bucket, ObjectPaths.ManifestEntry(target), JsonText.ToBytes(ManifestWriter.Entry(target, snapshot)));
            Put(server, bucket, ObjectPaths.ManifestChange(target, DateTimeOffset.UtcNow), "{}"u8.ToArray());
        }
    }

    private static void Put(GcsEmulatorServer server, string bucket, string name, byte[] data) =>
        server.Store.PutObject(bucket, new ObjectWrite { Name = name, ContentType = "application/json" }, data, Preconditions.None);

    private static string Id(int i) => $"V{i:D6}";

    private void Expect(int count, string what)
    {
        if (count != _entities)
        {
            throw new InvalidOperationException($"Listing returned {count} {what}, expected {_entities}.");
        }
    }

    private static Figure Single(IReadOnlyList<Figure> figures) => figures.Single();

    private static Figure Calls(string key, long calls, string unit) => new(key, unit, calls, calls, calls, 1);
}
