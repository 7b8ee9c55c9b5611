using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Faults;
using EccoStudio.Host.Commands;
using EccoStudio.Host.Migrations;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Consistency;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Migrations;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using EccoStudio.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace EccoStudio.Host.Tests.Migrations;

/// <summary>
/// <c>migrate</c> from the command line against the emulator: data written by the 1.0.0-only deployment (a storage
/// context without migrations, i.e. the old fold) migrated to venture 1.1.0 through MigrateSchemaOrchestrator on the
/// embedded engine; faults injected mid-way; a kill of the command and a second run; bad input refused.
/// Emulator faults are class-wide: tests here run one at a time.
/// </summary>
public sealed class MigrateCommandTests(GcsEmulatorFixture emulator, ITestOutputHelper log) : IClassFixture<GcsEmulatorFixture>
{
    private static readonly string SchemasFolder = FolderSchemaSource.FindRepoSchemas();

    /// <summary>Short step retries, so the failure path ends in seconds.</summary>
    private static readonly WritePathOptions QuickRetries = new()
    {
        Retry = new() { MaxAttempts = 3, FirstRetryInterval = TimeSpan.FromMilliseconds(100), BackoffCoefficient = 2, MaxRetryInterval = TimeSpan.FromSeconds(1) },
    };

    [Fact]
    public async Task Migrate_OldVentures_EverySnapshotAt110HistoryUntouchedManifestCompactedVerifyClean()
    {
        var (context, store, bucket) = await SeededAsync(12);
        var history = await FingerprintAsync(store, bucket, "env/dev/ventures/");
        var ideas = await FingerprintAsync(store, bucket, "env/dev/snapshots/ideas/");
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await RunAsync(["migrate", "--env", "dev", "--entity", "venture", "--to", "1.1.0", "--page-size", "5", "--parallelism", "2", "--by", "ops@test"],
            bucket, output, error);

        log.WriteLine(output.ToString());
        Assert.True(code == 0, error + output.ToString());
        Assert.Contains("migrate dev venture to 1.1.0 (venture: 1.0.0 → 1.1.0)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("12 snapshots to check", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("migrated: 12 checked: 11 migrated, 0 already current, 1 removed", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("drift: 0 differences", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(history, await FingerprintAsync(store, bucket, "env/dev/ventures/"));
        Assert.Equal(ideas, await FingerprintAsync(store, bucket, "env/dev/snapshots/ideas/"));
        foreach (var info in await store.ListAllAsync(bucket, "env/dev/snapshots/ventures/"))
        {
            var snapshot = JsonText.ParseObject((await store.GetAsync(bucket, info.Name))!.Content.Span);
            Assert.Equal("1.1.0", snapshot["schema_version"]!.GetValue<string>());
            Assert.StartsWith("Venture ", snapshot["title"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // The compaction path: the published shards list the migrated entries (title, not name).
        var index = Encoding.UTF8.GetString((await store.GetAsync(bucket, "env/dev/manifests/ventures/_index.ndjson"))!.Content.Span);
        var shards = index.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => JsonNode.Parse(l)!["ptr"]!.GetValue<string>()).ToList();
        var lines = new List<JsonObject>();
        foreach (var shard in shards)
        {
            lines.AddRange(Encoding.UTF8.GetString((await store.GetAsync(bucket, shard))!.Content.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(JsonText.ParseObject));
        }

        Assert.Equal(11, lines.Count);
        Assert.All(lines, l => Assert.True(l.ContainsKey("title") && !l.ContainsKey("name"), l.ToJsonString()));
        var listed = await new ManifestReader(context).ReadAllAsync("dev", EntityCatalog.Venture);
        Assert.Equal(11, listed.Count);

        // The run's record.
        var record = Assert.Single(await store.ListAllAsync(bucket, "env/dev/logs/migrations/ventures/v1.1.0/"));
        var body = JsonText.ParseObject((await store.GetAsync(bucket, record.Name))!.Content.Span);
        Assert.Equal("completed", body["state"]!.GetValue<string>());
        Assert.Equal("ops@test", body["requested_by"]!.GetValue<string>());
        Assert.Equal(11, body["counts"]!["migrated"]!.GetValue<int>());

        // A second run finds everything at the target: nothing rewritten, still clean.
        var snapshots = await FingerprintAsync(store, bucket, "env/dev/snapshots/");
        var second = new StringWriter();
        Assert.Equal(0, await RunAsync(["migrate", "--env", "dev", "--entity", "ventures", "--to", "v1.1.0"], bucket, second, new StringWriter()));
        Assert.Contains("0 migrated, 11 already current", second.ToString(), StringComparison.Ordinal);
        Assert.Equal(snapshots, await FingerprintAsync(store, bucket, "env/dev/snapshots/"));
    }

    [Fact]
    public async Task Migrate_Transient503sMidway_CompletesAndVerifyClean()
    {
        var (_, store, bucket) = await SeededAsync(10);
        var history = await FingerprintAsync(store, bucket, "env/dev/ventures/");
        // Half the uploads (snapshots, manifest entries, pointers, shards, records) fail with 503: the store retries a
        // preconditioned write, then the step is retried; reads are left alone so the closing check sees the result.
        emulator.Server.Faults.Update(new FaultSettings { Rate503 = 0.5, Method = "POST", ObjectPrefix = "env/dev/", Seed = 7 });
        int code;
        var output = new StringWriter();
        var error = new StringWriter();
        try
        {
            code = await RunAsync(["migrate", "--env", "dev", "--entity", "venture", "--to", "1.1.0", "--page-size", "3"], bucket, output, error);
        }
        finally
        {
            emulator.Server.Faults.Update(new FaultSettings());
        }

        log.WriteLine(output.ToString() + error);
        Assert.True(code == 0, error + output.ToString());
        Assert.Contains("drift: 0 differences", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(history, await FingerprintAsync(store, bucket, "env/dev/ventures/"));
    }

    [Fact]
    public async Task Migrate_OneEntityFailsForGood_ExitOneNamingItOthersMigratedRerunFinishes()
    {
        var (context, store, bucket) = await SeededAsync(6);
        // V003's pointers cannot be written (lead Cy is V003's alone): its migration fails after the step's retries.
        emulator.Server.Faults.Update(new FaultSettings { Rate503 = 1.0, Method = "POST", ObjectPrefix = "env/dev/indices/ventures/by-lead/Cy/" });
        int code;
        var output = new StringWriter();
        var error = new StringWriter();
        try
        {
            code = await RunAsync(["migrate", "--env", "dev", "--entity", "venture", "--to", "1.1.0"], bucket, output, error, QuickRetries);
        }
        finally
        {
            emulator.Server.Faults.Update(new FaultSettings());
        }

        log.WriteLine(output.ToString() + error);
        Assert.Equal(MigrateRunner.NotClean, code);
        Assert.Contains("V003", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("run the same command again", output.ToString(), StringComparison.Ordinal);
        var report = await new ConsistencyChecker(context with { Migrations = SchemaMigrations.Load(SchemasFolder) }).CheckAsync("dev", [EntityCatalog.Venture]);
        Assert.Equal([Venture("V003")], report.DriftedEntities);
        Assert.NotEmpty(await store.ListAllAsync(bucket, "env/dev/logs/ops/migrate-failed/"));

        var again = new StringWriter();
        Assert.Equal(0, await RunAsync(["migrate", "--env", "dev", "--entity", "venture", "--to", "1.1.0"], bucket, again, new StringWriter()));
        Assert.Contains("drift: 0 differences", again.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_CommandKilledMidway_SecondRunFinishesVerifyClean()
    {
        var (context, store, bucket) = await SeededAsync(40);
        var history = await FingerprintAsync(store, bucket, "env/dev/ventures/");
        // Slow snapshot writes, so the kill lands while pages are in flight.
        emulator.Server.Faults.Update(new FaultSettings { LatencyRate = 1, LatencyMs = 1000, Method = "POST", ObjectPrefix = "env/dev/snapshots/ventures/" });
        var migrated = 0;
        try
        {
            using var child = StartChild(["migrate", "--env", "dev", "--entity", "venture", "--to", "1.1.0", "--page-size", "2", "--parallelism", "1",
                "--gcs", emulator.Server.BaseUri.ToString(), "--bucket", bucket, "--schemas", SchemasFolder]);
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while ((migrated = await CountAtAsync(store, bucket, "1.1.0")) < 5)
            {
                Assert.False(child.HasExited, "migrate ended before the kill");
                Assert.True(DateTime.UtcNow < deadline, "no snapshot was migrated in time");
                await Task.Delay(100);
            }

            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }
        finally
        {
            emulator.Server.Faults.Update(new FaultSettings());
        }

        var atKill = await CountAtAsync(store, bucket, "1.1.0");
        log.WriteLine($"killed with {atKill} of 39 snapshots migrated");
        Assert.InRange(atKill, 5, 38);

        var output = new StringWriter();
        var error = new StringWriter();
        var code = await RunAsync(["migrate", "--env", "dev", "--entity", "venture", "--to", "1.1.0"], bucket, output, error);

        log.WriteLine(output.ToString());
        Assert.True(code == 0, error + output.ToString());
        Assert.Equal(39, await CountAtAsync(store, bucket, "1.1.0"));
        Assert.Equal(history, await FingerprintAsync(store, bucket, "env/dev/ventures/"));
        var report = await new ConsistencyChecker(context with { Migrations = SchemaMigrations.Load(SchemasFolder) }).CheckAsync("dev", [EntityCatalog.Venture]);
        Assert.True(report.IsConsistent, report.Summary());
    }

    [Fact]
    public async Task Migrate_TargetOlderUnknownOrNotTheKindsVersion_ExitTwoNothingWritten()
    {
        var (_, store, bucket) = await SeededAsync(2);
        var before = await FingerprintAsync(store, bucket, "");

        foreach (var (args, expected) in new (string[], string)[]
                 {
                     (["migrate", "--env", "dev", "--entity", "venture", "--to", "1.0.0"], "older than venture's current version 1.1.0"),
                     (["migrate", "--env", "dev", "--entity", "venture", "--to", "9.9.9"], "no schema venture/v9.9.9.schema.json"),
                     (["migrate", "--env", "dev", "--entity", "venture", "--to", "1.2.0"], "no schema venture/v1.2.0.schema.json"),
                     (["migrate", "--env", "dev", "--entity", "idea", "--to", "1.1.0"], "no schema idea/v1.1.0.schema.json"),
                 })
        {
            var error = new StringWriter();
            Assert.Equal(HostCommandLine.BadUsage, await RunAsync(args, bucket, new StringWriter(), error));
            Assert.StartsWith("error: ", error.ToString(), StringComparison.Ordinal);
            Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
            Assert.Contains("Nothing written", error.ToString(), StringComparison.Ordinal);
            Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
        }

        Assert.Equal(before, await FingerprintAsync(store, bucket, ""));
    }

    [Theory]
    [InlineData("migrate", "--env", "dev", "--entity", "venture")]
    [InlineData("migrate", "--env", "dev", "--to", "1.1.0")]
    [InlineData("migrate", "--entity", "venture", "--to", "1.1.0")]
    [InlineData("migrate", "--env", "qa", "--entity", "venture", "--to", "1.1.0")]
    [InlineData("migrate", "--env", "dev", "--entity", "unicorns", "--to", "1.1.0")]
    [InlineData("migrate", "--env", "dev", "--entity", "venture", "--to", "1.1")]
    [InlineData("migrate", "--env", "dev", "--entity", "venture", "--to", "1.1.0", "--page-size", "0")]
    [InlineData("migrate", "--env", "dev", "--entity", "venture", "--to", "1.1.0", "--parallelism", "65")]
    [InlineData("migrate", "--env", "dev", "--entity", "venture", "--to", "1.1.0", "--gcs", "ftp://x")]
    public async Task Migrate_BadFlags_ExitTwoWithOneLine(params string[] args)
    {
        var error = new StringWriter();

        var code = await HostCommandLine.RunAsync(args, (_, _) => Task.FromResult(0), error);

        Assert.Equal(HostCommandLine.BadUsage, code);
        Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: ", error.ToString(), StringComparison.Ordinal);
    }

    private async Task<int> RunAsync(string[] args, string bucket, StringWriter output, StringWriter error, WritePathOptions? writePath = null)
    {
        var parsed = HostCommandLine.Create((_, _) => Task.FromResult(0)).Parse([.. args, "--gcs", emulator.Server.BaseUri.ToString(), "--bucket", bucket, "--schemas", SchemasFolder]);
        Assert.Empty(parsed.Errors);
        return await MigrateRunner.RunAsync(MigrateCommandLine.ToSettings(parsed), output, error, interactive: false, writePath, CancellationToken.None);
    }

    /// <summary>
    /// <paramref name="count"/> ventures as the 1.0.0-only deployment left them (old fold: no migrations), patched, the
    /// manifest compacted; the last one deleted afterwards by hand-free means: its history folds to nothing but a
    /// stale snapshot was left (a tombstone whose snapshot step never ran). Plus one idea (untouched by the migration).
    /// </summary>
    private async Task<(StorageContext Context, GcsObjectStore Store, string Bucket)> SeededAsync(int count)
    {
        var bucket = await emulator.CreateBucketAsync(versioning: true, prefix: "migr");
        var store = new GcsObjectStore(emulator.CreateClient(), new ObjectStoreOptions(), new StorageOperationCounter(), NullLogger<GcsObjectStore>.Instance);
        var context = new StorageContext(store, new ObjectPaths(new StorageLayoutOptions { BucketName = bucket }), EntitySchemaRegistry.FromFolder(SchemasFolder),
            IndexCatalog.Load(Path.Combine(SchemasFolder, "indices.json")));
        var pipeline = new EntityWritePipeline(context);
        var leads = new[] { "Ann", "Bob", "Cy" };
        for (var i = 1; i <= count; i++)
        {
            var id = $"V{i:D3}";
            await pipeline.WriteAsync(Venture(id), JsonText.ParseObject($$"""
                {"id":"{{id}}","entity":"venture","env":"dev","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z","updated_at":"2025-11-02T00:00:00Z",
                 "name":"Venture {{i}}","lead":"{{(i == 3 ? "Cy" : leads[i % 2])}}","status":"Pilot","milestones":[{"milestoneId":"M1","title":"MVP","dueDate":"2026-0{{1 + (i % 9)}}-01","status":"Planned"}]}
                """), Ulid.NewUlid());
            if (i % 2 == 0)
            {
                await pipeline.WriteAsync(Venture(id), JsonText.ParseObject("""{"updated_at":"2025-11-03T00:00:00Z","status":"Build"}"""), Ulid.NewUlid(), ChangeKind.MergePatch);
            }
        }

        await new ManifestCompactor(context).CompactAsync("dev", EntityCatalog.Venture);
        // The last venture: a tombstone in history, its snapshot left behind (derived objects the old deployment never settled).
        var last = Venture($"V{count:D3}");
        var tombstone = await new ChangeValidator(context).PrepareDeleteAsync(last, Ulid.NewUlid(), new DateTimeOffset(2025, 11, 4, 0, 0, 0, TimeSpan.Zero), null);
        await new HistoryWriter(context).AppendAsync(tombstone);
        await pipeline.WriteAsync(new EntityTarget("dev", EntityCatalog.Idea, "I1"), JsonText.ParseObject("""
            {"id":"I1","entity":"idea","env":"dev","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z","updated_at":"2025-11-01T00:00:00Z",
             "title":"An idea","status":"Draft"}
            """), Ulid.NewUlid());
        return (context, store, bucket);
    }

    private static EntityTarget Venture(string id) => new("dev", EntityCatalog.Venture, id);

    private static async Task<int> CountAtAsync(GcsObjectStore store, string bucket, string version)
    {
        var count = 0;
        foreach (var info in await store.ListAllAsync(bucket, "env/dev/snapshots/ventures/"))
        {
            if (await store.GetAsync(bucket, info.Name) is { } stored && JsonText.ParseObject(stored.Content.Span)["schema_version"]?.GetValue<string>() == version)
            {
                count++;
            }
        }

        return count;
    }

    private static Process StartChild(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EccoStudio.Host.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<List<string>> FingerprintAsync(GcsObjectStore store, string bucket, string prefix)
    {
        var all = new List<string>();
        string? token = null;
        do
        {
            var page = await store.ListVersionsAsync(bucket, prefix, token);
            all.AddRange(page.Objects.Select(o => $"{o.Name}#{o.Generation}#{o.Metageneration}"));
            token = page.NextPageToken;
        }
        while (token is not null);

        return all;
    }
}
