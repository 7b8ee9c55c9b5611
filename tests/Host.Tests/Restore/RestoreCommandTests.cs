using System.Text.Json.Nodes;
using EccoStudio.Host.Commands;
using EccoStudio.Host.Restore;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Consistency;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using EccoStudio.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EccoStudio.Host.Tests.Restore;

/// <summary>Issue 13 item 1: restore and dr-drill through the command line against a versioned bucket damaged by hand.</summary>
public sealed class RestoreCommandTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    private static readonly string SchemasFolder = EmulatorStorage.SchemasFolder;

    [Fact]
    public async Task Restore_HandDamageThenAsOfBeforeIt_EveryLiveObjectByteIdenticalAndVerifyClean()
    {
        var (context, store, bucket) = await PopulatedAsync();
        var before = await LiveObjectsAsync(store, bucket);
        var asOf = await PastAsync();

        // Damage by hand through the client: history objects deleted, snapshots overwritten, pointers removed, a manifest shard deleted,
        // and one venture created after T (the restore removes it: it did not exist at T).
        var v1 = Target(EntityCatalog.Venture, "V1");
        var v1History = await store.ListAllAsync(bucket, ObjectPaths.HistoryPrefix(v1));
        await store.DeleteAsync(bucket, v1History[0].Name, null);
        await store.DeleteAsync(bucket, (await store.ListAllAsync(bucket, ObjectPaths.HistoryPrefix(Target(EntityCatalog.Idea, "IDEA-1"))))[0].Name, null);
        await store.PutAsync(bucket, ObjectPaths.Snapshot(Target(EntityCatalog.Venture, "V2")), """{"id":"V2","damaged":true}"""u8.ToArray(), new PutOptions());
        await store.PutAsync(bucket, ObjectPaths.Snapshot(Target(EntityCatalog.CapTable, "CT-1")), "{}"u8.ToArray(), new PutOptions());
        foreach (var pointer in (await store.ListAllAsync(bucket, ObjectPaths.IndexFolder("dev", EntityCatalog.Venture, "by-status"))).Take(3))
        {
            await store.DeleteAsync(bucket, pointer.Name, null);
        }

        var shard = (await store.ListAllAsync(bucket, ObjectPaths.ManifestFolder("dev", EntityCatalog.Venture) + "shards/"))[0];
        await store.DeleteAsync(bucket, shard.Name, null);
        await new EntityWritePipeline(context).WriteAsync(Target(EntityCatalog.Venture, "V-LATE"), Venture("V-LATE", "Build", "Eve"), Ulid.NewUlid());
        var damaged = Fingerprint(await LiveObjectsAsync(store, bucket));
        Assert.NotEqual(Fingerprint(before), damaged);

        var planOutput = new StringWriter();
        var planned = await RunAsync(["restore", "--env", "dev", "--as-of", Format(asOf)], bucket, planOutput);

        Assert.Equal(0, planned);
        Assert.Contains("plan only", planOutput.ToString(), StringComparison.Ordinal);
        Assert.Equal(damaged, Fingerprint(await LiveObjectsAsync(store, bucket)));
        // venture: bring back V1's history object, 3 pointers and the shard; revert V2's snapshot; remove V-LATE's
        // history, snapshot, manifest entry and 3 pointers.
        Assert.Equal<long[]>([5, 1, 6], Row(planOutput.ToString(), "venture")[2..]);
        Assert.Equal<long[]>([1, 0, 0], Row(planOutput.ToString(), "idea")[2..]);
        Assert.Equal<long[]>([0, 1, 0], Row(planOutput.ToString(), "cap_table")[2..]);

        var output = new StringWriter();
        var progress = new StringWriter();
        var restored = await RunAsync(["restore", "--env", "dev", "--as-of", Format(asOf), "--apply"], bucket, output, progress, interactive: true);

        Assert.True(restored == 0, output.ToString());
        Assert.Contains("\rrestoring", progress.ToString(), StringComparison.Ordinal);
        Assert.Equal(Fingerprint(before), Fingerprint(await LiveObjectsAsync(store, bucket)));
        var report = await new ConsistencyChecker(context).CheckAsync("dev");
        Assert.True(report.IsConsistent, report.Summary());

        // Re-running the same restore (as after a crash) writes nothing.
        var again = new StringWriter();
        Assert.Equal(0, await RunAsync(["restore", "--env", "dev", "--as-of", Format(asOf), "--apply"], bucket, again));
        Assert.Contains("applied: 0 copied back, 0 removed", again.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_OneEntityAsOf_OnlyThatEntityChangesAndPointersFollow()
    {
        var (context, store, bucket) = await PopulatedAsync();
        var asOf = await PastAsync();
        var pipeline = new EntityWritePipeline(context);
        await pipeline.WriteAsync(Target(EntityCatalog.Venture, "V3"), JsonText.ParseObject("""{"updated_at":"2026-01-01T00:00:00Z","status":"Scale"}"""), Ulid.NewUlid(),
            ChangeKind.MergePatch);
        await pipeline.WriteAsync(Target(EntityCatalog.Venture, "V4"), JsonText.ParseObject("""{"updated_at":"2026-01-01T00:00:00Z","status":"Scale"}"""), Ulid.NewUlid(),
            ChangeKind.MergePatch);
        var v4 = await StateAsync(store, bucket, "V4");

        var output = new StringWriter();
        var code = await RunAsync(["restore", "--env", "dev", "--entity", "ventures", "--id", "V3", "--as-of", Format(asOf), "--apply"], bucket, output);

        Assert.True(code == 0, output.ToString());
        var reader = new EntityReader(context);
        Assert.Equal("Pilot", (await reader.GetSnapshotAsync(Target(EntityCatalog.Venture, "V3")))!.Document["status"]!.GetValue<string>());
        Assert.Equal(v4, await StateAsync(store, bucket, "V4"));
        Assert.Empty(await reader.QueryIndexAsync("dev", context.Indices.Get(EntityCatalog.Venture, "by-status"), "Scale") is var scale
            ? scale.Where(p => p["id"]!.GetValue<string>() == "V3").ToList() : []);
        Assert.True((await new ConsistencyChecker(context).CheckAsync("dev", [EntityCatalog.Venture])).IsConsistent);
    }

    [Fact]
    public async Task DrDrill_PopulatedEnv_ScratchCopyVerifiesCleanAndLiveGenerationsUnchanged()
    {
        var (_, store, bucket) = await PopulatedAsync();
        var versionsBefore = await VersionsAsync(store, bucket);
        var live = await LiveObjectsAsync(store, bucket);
        var scratch = emulator.NewBucketName("drill");

        var output = new StringWriter();
        var code = await RunAsync(["dr-drill", "--env", "dev", "--scratch-bucket", scratch], bucket, output);

        Assert.True(code == 0, output.ToString());
        Assert.Contains("dr-drill: passed", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(versionsBefore, await VersionsAsync(store, bucket));
        Assert.Equal(Fingerprint(live), Fingerprint(await LiveObjectsAsync(store, scratch)));
    }

    [Theory]
    [InlineData("restore", "--env", "dev")]
    [InlineData("restore", "--env", "dev", "--as-of", "yesterday")]
    [InlineData("restore", "--env", "dev", "--as-of", "2999-01-01T00:00:00Z")]
    [InlineData("restore", "--env", "dev", "--as-of", "2026-01-01T00:00:00Z", "--id", "V1")]
    [InlineData("restore", "--env", "dev", "--as-of", "2026-01-01T00:00:00Z", "--entity", "unicorns")]
    [InlineData("restore", "--env", "dev", "--as-of", "2026-01-01T00:00:00Z", "--entity", "ventures", "--id", "../x")]
    [InlineData("restore", "--env", "qa", "--as-of", "2026-01-01T00:00:00Z")]
    [InlineData("dr-drill", "--env", "dev", "--scratch-bucket", "Not A Bucket")]
    public async Task Restore_BadInput_ExitTwoWithOneLine(params string[] args)
    {
        var error = new StringWriter();

        var code = await HostCommandLine.RunAsync(args, (_, _) => Task.FromResult(0), error);

        Assert.Equal(HostCommandLine.BadUsage, code);
        Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: ", error.ToString(), StringComparison.Ordinal);
    }

    private async Task<int> RunAsync(string[] args, string bucket, StringWriter output, StringWriter? error = null, bool interactive = false)
    {
        var all = args.Concat(["--gcs", emulator.Server.BaseUri.ToString(), "--bucket", bucket, "--schemas", SchemasFolder]).ToArray();
        var parsed = HostCommandLine.Create((_, _) => Task.FromResult(0)).Parse(all);
        Assert.Empty(parsed.Errors);
        return args[0] == "restore"
            ? await RestoreRunner.RunAsync(RestoreCommandLine.ToRestoreSettings(parsed), output, error ?? new StringWriter(), interactive, CancellationToken.None)
            : await DrDrillRunner.RunAsync(RestoreCommandLine.ToDrillSettings(parsed), output, error ?? new StringWriter(), interactive, CancellationToken.None);
    }

    /// <summary>Six ventures (two patched), a compacted venture manifest (shards), a cap table, a round and an idea in a versioned bucket.</summary>
    private async Task<(StorageContext Context, GcsObjectStore Store, string Bucket)> PopulatedAsync()
    {
        var (context, store, bucket) = await EmulatorStorage.CreateAsync(emulator, "rs");
        var pipeline = new EntityWritePipeline(context);
        string[] leads = ["Bob", "Ann", "Cy"];
        for (var i = 1; i <= 6; i++)
        {
            await pipeline.WriteAsync(Target(EntityCatalog.Venture, $"V{i}"), Venture($"V{i}", "Pilot", leads[i % 3]), Ulid.NewUlid());
        }

        await new ManifestCompactor(context).CompactAsync("dev", EntityCatalog.Venture);
        for (var i = 1; i <= 2; i++)
        {
            await pipeline.WriteAsync(Target(EntityCatalog.Venture, $"V{i}"), JsonText.ParseObject("""{"updated_at":"2025-12-01T00:00:00Z","status":"Build"}"""), Ulid.NewUlid(),
                ChangeKind.MergePatch);
        }

        await pipeline.WriteAsync(Target(EntityCatalog.CapTable, "CT-1"), Example("cap_table.snapshot.json", "CT-1", """{"ventureId":"V1"}"""), Ulid.NewUlid());
        await pipeline.WriteAsync(Target(EntityCatalog.Round, "R-1"), Example("round.snapshot.json", "R-1", """{"ventureId":"V1"}"""), Ulid.NewUlid());
        await pipeline.WriteAsync(Target(EntityCatalog.Idea, "IDEA-1"), Example("idea.history.json", "IDEA-1", "{}"), Ulid.NewUlid());
        return (context, store, bucket);
    }

    /// <summary>A time after everything written so far and strictly before anything written next.</summary>
    private static async Task<DateTimeOffset> PastAsync()
    {
        await Task.Delay(20);
        var at = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        return at;
    }

    private static EntityTarget Target(EntityKind kind, string id) => new("dev", kind, id);

    private static JsonObject Venture(string id, string status, string lead) => JsonText.ParseObject($$"""
        {"id":"{{id}}","entity":"venture","env":"dev","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z",
         "updated_at":"2025-11-06T10:00:00Z","lead":"{{lead}}","status":"{{status}}",
         "milestones":[{"milestoneId":"M1","title":"MVP","dueDate":"2026-02-01","status":"InProgress"}]}
        """);

    private static JsonObject Example(string file, string id, string overlay)
    {
        var document = JsonText.ParseObject(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", file)));
        document["id"] = id;
        document["env"] = "dev";
        return (JsonObject)JsonMergePatch.Apply(document, JsonText.ParseObject(overlay))!;
    }

    private static string Format(DateTimeOffset at) => Storage.Envelope.Rfc3339.Format(at);

    /// <summary>Every live object of env dev: name → stored bytes (CRC32C), decoded content, encoding and custom metadata.</summary>
    private static async Task<SortedDictionary<string, string>> LiveObjectsAsync(GcsObjectStore store, string bucket)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var info in await store.ListAllAsync(bucket, "env/dev/"))
        {
            var stored = (await store.GetAsync(bucket, info.Name))!;
            var metadata = string.Join(",", stored.Info.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
            result[info.Name] = $"{info.Crc32c}|{info.Md5Hash}|{info.ContentEncoding}|{metadata}|{System.Text.Encoding.UTF8.GetString(stored.Content.Span)}";
        }

        return result;
    }

    private static string Fingerprint(SortedDictionary<string, string> objects) => string.Join("\n", objects.Select(p => $"{p.Key} {p.Value}"));

    private static async Task<string> VersionsAsync(GcsObjectStore store, string bucket)
    {
        var lines = new List<string>();
        string? token = null;
        do
        {
            var page = await store.ListVersionsAsync(bucket, "env/", token);
            lines.AddRange(page.Objects.Select(o => $"{o.Name}#{o.Generation}.{o.Metageneration} deleted={o.Deleted?.ToUnixTimeMilliseconds()}"));
            token = page.NextPageToken;
        }
        while (token is not null);

        return string.Join("\n", lines);
    }

    private static async Task<string> StateAsync(GcsObjectStore store, string bucket, string id) =>
        (await store.GetInfoAsync(bucket, ObjectPaths.Snapshot(Target(EntityCatalog.Venture, id))))!.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The numbers of one row of the printed plan table (kind, keep, bring-back, revert, remove).</summary>
    private static long[] Row(string output, string kind)
    {
        var line = output.Split('\n').Single(l => l.StartsWith(kind + " ", StringComparison.Ordinal));
        return [0, .. line[kind.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse)];
    }
}
