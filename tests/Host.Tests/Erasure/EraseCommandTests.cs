using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Faults;
using EccoStudio.Host.Commands;
using EccoStudio.Host.Erasure;
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

namespace EccoStudio.Host.Tests.Erasure;

/// <summary>Issue 13 item 4: <c>erase</c> removes every version of one entity, leaves a record, and survives a failure mid-way. Emulator faults are class-wide: tests here run one at a time.</summary>
public sealed class EraseCommandTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    private static readonly string SchemasFolder = EmulatorStorage.SchemasFolder;

    [Fact]
    public async Task Erase_TalentWithVersions_NoVersionRemainsRestLeftAndRestoreDoesNotBringItBack()
    {
        var (context, store, bucket) = await PopulatedAsync();
        var asOf = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        var others = (await VersionsAsync(store, bucket)).Where(v => !IsT1(v) && !IsManifest(v)).ToList();
        Assert.True((await VersionsAsync(store, bucket)).Count(v => IsT1(v) && v.Contains("/snapshots/", StringComparison.Ordinal)) >= 3); // noncurrent versions exist

        var output = new StringWriter();
        var code = await RunAsync(["erase", "--env", "dev", "--entity", "talent", "--id", "T1", "--reason", "GDPR request 42", "--by", "dpo@ecco"], bucket, output);

        Assert.True(code == 0, output.ToString());
        var after = await VersionsAsync(store, bucket);
        Assert.DoesNotContain(after, v => IsT1(v) && !v.Contains("/logs/erasures/", StringComparison.Ordinal));
        Assert.All(others, v => Assert.Contains(v, after)); // every version of every other object is still there
        var entries = await new ManifestReader(context).ReadAllAsync("dev", EntityCatalog.Talent);
        Assert.Equal(["T2"], entries.Select(e => e["id"]!.GetValue<string>()));
        var report = await new ConsistencyChecker(context).CheckAsync("dev", [EntityCatalog.Talent]);
        Assert.True(report.IsConsistent, report.Summary());

        var recordName = after.First(v => v.Contains("/logs/erasures/talent/T1/", StringComparison.Ordinal)).Split('#')[0];
        var recordText = System.Text.Encoding.UTF8.GetString((await store.GetAsync(bucket, recordName))!.Content.Span);
        var record = JsonText.ParseObject(recordText);
        Assert.Equal("completed", record["state"]!.GetValue<string>());
        Assert.Equal("GDPR request 42", record["reason"]!.GetValue<string>());
        Assert.Equal("dpo@ecco", record["requested_by"]!.GetValue<string>());
        Assert.Equal(3, record["versions_removed"]!["history"]!.GetValue<int>());
        Assert.True(record["total_versions_removed"]!.GetValue<int>() >= 12, recordText);
        foreach (var personal in new[] { "Ada Lovelace", "London", "Paris", "rust", "Ada" })
        {
            Assert.DoesNotContain(personal, recordText, StringComparison.Ordinal);
        }

        // A restore to before the erasure has no version of T1 to bring back.
        var restored = await RunAsync(["restore", "--env", "dev", "--as-of", Storage.Envelope.Rfc3339.Format(asOf), "--apply"], bucket, new StringWriter());
        Assert.Equal(0, restored);
        Assert.Equal(["T2"], (await new ManifestReader(context).ReadAllAsync("dev", EntityCatalog.Talent)).Select(e => e["id"]!.GetValue<string>()));
        Assert.DoesNotContain(await VersionsAsync(store, bucket), v => IsT1(v) && !v.Contains("/logs/erasures/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Erase_FailureMidWay_ExitThreeThenRerunCompletes()
    {
        var (_, store, bucket) = await PopulatedAsync();
        emulator.Server.Faults.Update(new FaultSettings { Rate503 = 1.0, Method = "DELETE", ObjectPrefix = "env/dev/indices/talent/" });
        int failed;
        var error = new StringWriter();
        try
        {
            failed = await RunAsync(["erase", "--env", "dev", "--entity", "talent", "--id", "T1", "--reason", "request 7"], bucket, new StringWriter(), error);
        }
        finally
        {
            emulator.Server.Faults.Update(new FaultSettings());
        }

        Assert.Equal(3, failed);
        Assert.Contains("re-run", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(await VersionsAsync(store, bucket), v => IsT1(v) && v.Contains("/indices/", StringComparison.Ordinal));
        Assert.Contains(await VersionsAsync(store, bucket), v => IsT1(v) && v.Contains("/history/", StringComparison.Ordinal)); // history goes last

        var output = new StringWriter();
        Assert.Equal(0, await RunAsync(["erase", "--env", "dev", "--entity", "talent", "--id", "T1", "--reason", "request 7"], bucket, output));
        Assert.DoesNotContain(await VersionsAsync(store, bucket), v => IsT1(v) && !v.Contains("/logs/erasures/", StringComparison.Ordinal));
        var records = (await VersionsAsync(store, bucket)).Where(v => v.Contains("/logs/erasures/talent/T1/", StringComparison.Ordinal)).Select(v => v.Split('#')[0]).Distinct().ToList();
        Assert.Equal(2, records.Count); // the interrupted run's "started" record stays beside the completed one
    }

    [Fact]
    public async Task Erase_HistoryUnderLockedRetention_ExitFourNothingDeletedNoRecord()
    {
        var (_, store, bucket) = await PopulatedAsync(new HistoryRetention(30, "Locked"));
        var before = await VersionsAsync(store, bucket);

        foreach (var args in new[] { Array.Empty<string>(), ["--override-unlocked-retention"] })
        {
            var error = new StringWriter();
            var code = await RunAsync([.. "erase --env dev --entity talent --id T1 --reason x".Split(' '), .. args], bucket, new StringWriter(), error);

            Assert.Equal(EraseRunner.RetentionRefused, code);
            var line = Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
            Assert.StartsWith("error: dev/talent/T1 cannot be erased: 3 of its history versions are under a Locked object retention until ", line, StringComparison.Ordinal);
            Assert.EndsWith("which GCS lets nobody shorten or remove; nothing was deleted.", line, StringComparison.Ordinal);
        }

        Assert.Equal(before, await VersionsAsync(store, bucket)); // not even a "started" erasure record
    }

    [Fact]
    public async Task Erase_HistoryUnderUnlockedRetention_RefusedWithoutOverrideErasedWithIt()
    {
        var (_, store, bucket) = await PopulatedAsync(new HistoryRetention(30, "Unlocked"));
        var before = await VersionsAsync(store, bucket);

        var error = new StringWriter();
        Assert.Equal(EraseRunner.RetentionRefused, await RunAsync(["erase", "--env", "dev", "--entity", "talent", "--id", "T1", "--reason", "x"], bucket, new StringWriter(), error));
        Assert.Contains("are under an Unlocked object retention until", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Lift it with `erase --override-unlocked-retention`", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await VersionsAsync(store, bucket));

        var output = new StringWriter();
        var code = await RunAsync(["erase", "--env", "dev", "--entity", "talent", "--id", "T1", "--reason", "x", "--override-unlocked-retention"], bucket, output, error);
        Assert.True(code == 0, error.ToString());
        Assert.Contains("history 3", output.ToString(), StringComparison.Ordinal);
        var after = await VersionsAsync(store, bucket);
        Assert.DoesNotContain(after, v => IsT1(v) && !v.Contains("/logs/erasures/", StringComparison.Ordinal));
        Assert.Contains(after, v => v.Contains("/talent/T2/history/", StringComparison.Ordinal)); // T2's retained history untouched
    }

    [Theory]
    [InlineData("erase", "--env", "dev", "--entity", "talent", "--id", "T1")]
    [InlineData("erase", "--env", "dev", "--entity", "talent", "--id", "T1", "--reason", "")]
    [InlineData("erase", "--env", "dev", "--entity", "unicorns", "--id", "T1", "--reason", "x")]
    [InlineData("erase", "--env", "dev", "--entity", "talent", "--id", "a/b", "--reason", "x")]
    [InlineData("erase", "--env", "dev", "--entity", "talent", "--reason", "x")]
    public async Task Erase_BadInput_ExitTwoWithOneLine(params string[] args)
    {
        var error = new StringWriter();

        var code = await HostCommandLine.RunAsync(args, (_, _) => Task.FromResult(0), error);

        Assert.Equal(HostCommandLine.BadUsage, code);
        Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Erase_UnknownIdOrWrongEntity_ExitTwoAndNothingWritten()
    {
        var (_, store, bucket) = await PopulatedAsync();
        var before = await VersionsAsync(store, bucket);

        var error = new StringWriter();
        Assert.Equal(2, await RunAsync(["erase", "--env", "dev", "--entity", "talent", "--id", "T9", "--reason", "x"], bucket, new StringWriter(), error));
        Assert.Equal(2, await RunAsync(["erase", "--env", "dev", "--entity", "investors", "--id", "T1", "--reason", "x"], bucket, new StringWriter(), error));

        Assert.Contains("has no objects", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await VersionsAsync(store, bucket));
    }

    private async Task<int> RunAsync(string[] args, string bucket, StringWriter output, StringWriter? error = null)
    {
        var all = args.Concat(["--gcs", emulator.Server.BaseUri.ToString(), "--bucket", bucket, "--schemas", SchemasFolder]).ToArray();
        var parsed = HostCommandLine.Create((_, _) => Task.FromResult(0)).Parse(all);
        Assert.Empty(parsed.Errors);
        return args[0] == "erase"
            ? await EraseRunner.RunAsync(EraseCommandLine.ToSettings(parsed), output, error ?? new StringWriter(), CancellationToken.None)
            : await RestoreRunner.RunAsync(RestoreCommandLine.ToRestoreSettings(parsed), output, error ?? new StringWriter(), false, CancellationToken.None);
    }

    /// <summary>T1 (three history records, skills and location changing: noncurrent versions everywhere) and T2 in a compacted manifest, plus a venture.</summary>
    private async Task<(StorageContext Context, GcsObjectStore Store, string Bucket)> PopulatedAsync(HistoryRetention? retention = null)
    {
        var (context, store, bucket) = await EmulatorStorage.CreateAsync(emulator, "er", retention: retention);
        var pipeline = new EntityWritePipeline(context);
        await pipeline.WriteAsync(Talent("T1"), Person("T1", "Ada Lovelace", "London", "rust"), Ulid.NewUlid());
        await pipeline.WriteAsync(Talent("T2"), Person("T2", "Grace Hopper", "Arlington", "cobol"), Ulid.NewUlid());
        await new ManifestCompactor(context).CompactAsync("dev", EntityCatalog.Talent);
        await pipeline.WriteAsync(Talent("T1"), JsonText.ParseObject("""{"updated_at":"2025-11-03T00:00:00Z","location":"Paris"}"""), Ulid.NewUlid(), ChangeKind.MergePatch);
        await pipeline.WriteAsync(Talent("T1"), JsonText.ParseObject("""{"updated_at":"2025-11-04T00:00:00Z","skills":["rust","go"]}"""), Ulid.NewUlid(), ChangeKind.MergePatch);
        await pipeline.WriteAsync(new EntityTarget("dev", EntityCatalog.Venture, "V1"), JsonText.ParseObject("""
            {"id":"V1","entity":"venture","env":"dev","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z","updated_at":"2025-11-01T00:00:00Z",
             "lead":"Bob","status":"Pilot","milestones":[]}
            """), Ulid.NewUlid());
        return (context, store, bucket);
    }

    private static EntityTarget Talent(string id) => new("dev", EntityCatalog.Talent, id);

    private static JsonObject Person(string id, string name, string location, string skill) => JsonText.ParseObject($$"""
        {"id":"{{id}}","entity":"talent","env":"dev","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z",
         "updated_at":"2025-11-02T00:00:00Z","name":"{{name}}","location":"{{location}}","skills":["{{skill}}"]}
        """);

    private static bool IsT1(string version) => version.Contains("/T1/", StringComparison.Ordinal) || version.Contains("/T1.json#", StringComparison.Ordinal);

    private static bool IsManifest(string version) => version.Contains("/manifests/", StringComparison.Ordinal);

    /// <summary>Every generation in the bucket as name#generation.</summary>
    private static async Task<List<string>> VersionsAsync(GcsObjectStore store, string bucket)
    {
        var all = new List<string>();
        string? token = null;
        do
        {
            var page = await store.ListVersionsAsync(bucket, "", token);
            all.AddRange(page.Objects.Select(o => $"{o.Name}#{o.Generation}"));
            token = page.NextPageToken;
        }
        while (token is not null);

        return all;
    }
}
