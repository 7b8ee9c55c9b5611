using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Faults;
using EccoStudio.Host.Analytics;
using EccoStudio.Host.Commands;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using EccoStudio.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EccoStudio.Host.Tests.Analytics;

/// <summary>
/// Issue 13 item 5: <c>analytics export</c> through the command line against the embedded emulator. Emulator faults
/// are class-wide: tests here run one at a time.
/// </summary>
public sealed class AnalyticsExportCommandTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>, IDisposable
{
    private static readonly string SchemasFolder = EmulatorStorage.SchemasFolder;
    private readonly string _folder = Directory.CreateTempSubdirectory("ecco-export-").FullName;

    [Fact]
    public async Task Export_PopulatedEnv_OneFilePerKindHoldingEachCurrentSnapshotOnOneLine()
    {
        var (store, bucket) = await PopulatedAsync();
        Assert.Equal("gzip", (await store.GetInfoAsync(bucket, ObjectPaths.Snapshot(Venture("V-BIG"))))!.ContentEncoding);
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await RunAsync(["analytics", "export", "--env", "dev", "--to", _folder], bucket, output, error, interactive: true);

        Assert.True(code == 0, error.ToString());
        Assert.Equal(EntityCatalog.All.Select(k => k.Name + ".ndjson").Order(StringComparer.Ordinal),
            Directory.GetFiles(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)); // no temporary file left
        var ventures = ReadLines("venture");
        Assert.Equal(["V-BIG", "V1", "V2"], ventures.Select(v => v["id"]!.GetValue<string>()));
        var lines = File.ReadAllText(Path.Combine(_folder, "venture.ndjson")).Split('\n');
        Assert.Equal(4, lines.Length); // three rows, each ending in a newline
        foreach (var (line, id) in lines.Zip(new[] { "V-BIG", "V1", "V2" }))
        {
            var stored = (await store.GetAsync(bucket, ObjectPaths.Snapshot(Venture(id))))!;
            Assert.Equal(Encoding.UTF8.GetString(stored.Content.Span), line); // decompressed, byte for byte as stored
        }

        Assert.Equal("Scale", ventures[1]["status"]!.GetValue<string>()); // the current snapshot, not the first write
        Assert.True(ventures[0]["name"]!.GetValue<string>().Length == 70_000);
        Assert.Equal(["T1"], ReadLines("talent").Select(t => t["id"]!.GetValue<string>()));
        Assert.Empty(File.ReadAllBytes(Path.Combine(_folder, "idea.ndjson"))); // no snapshots: an empty file, so a load empties the table
        Assert.DoesNotContain(ReadLines("venture"), v => v["env"]!.GetValue<string>() != "dev");
        Assert.Contains("exported 4 rows", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("\rexporting", error.ToString(), StringComparison.Ordinal); // progress on a terminal
    }

    [Fact]
    public async Task Export_OneEntity_ReplacesOnlyThatFile()
    {
        var (_, bucket) = await PopulatedAsync();
        File.WriteAllText(Path.Combine(_folder, "venture.ndjson"), "stale\n");
        File.WriteAllText(Path.Combine(_folder, "talent.ndjson"), "kept\n");
        var error = new StringWriter();

        var code = await RunAsync(["analytics", "export", "--env", "dev", "--to", _folder, "--entity", "ventures"], bucket, new StringWriter(), error);

        Assert.True(code == 0, error.ToString());
        Assert.Equal(3, ReadLines("venture").Count);
        Assert.Equal("kept\n", File.ReadAllText(Path.Combine(_folder, "talent.ndjson")));
        Assert.Equal(2, Directory.GetFiles(_folder).Length);
        Assert.Empty(error.ToString()); // no progress when stderr is not a terminal
    }

    [Fact]
    public async Task Export_ReadsFailForGood_ExitThreeAndThePreviousFileIsKeptWhole()
    {
        var (_, bucket) = await PopulatedAsync();
        File.WriteAllText(Path.Combine(_folder, "venture.ndjson"), "previous export\n");
        emulator.Server.Faults.Update(new FaultSettings { Rate503 = 1.0, Method = "GET", ObjectPrefix = "env/dev/snapshots/ventures/V2" });
        int code;
        var error = new StringWriter();
        try
        {
            code = await RunAsync(["analytics", "export", "--env", "dev", "--to", _folder, "--entity", "venture"], bucket, new StringWriter(), error);
        }
        finally
        {
            emulator.Server.Faults.Update(new FaultSettings());
        }

        Assert.Equal(3, code);
        Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: ", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("previous export\n", File.ReadAllText(Path.Combine(_folder, "venture.ndjson")));
        Assert.Single(Directory.GetFiles(_folder)); // the half-written temporary file is gone
    }

    [Fact]
    public async Task Export_BucketMissing_ExitThreeWithOneLine()
    {
        var error = new StringWriter();

        var code = await RunAsync(["analytics", "export", "--env", "dev", "--to", _folder], emulator.NewBucketName("none"), new StringWriter(), error);

        Assert.Equal(3, code);
        Assert.Equal($"error: bucket", error.ToString()[..13]);
        Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("analytics", "export", "--env", "dev")]
    [InlineData("analytics", "export", "--env", "qa", "--to", "out")]
    [InlineData("analytics", "export", "--env", "dev", "--to", "out", "--entity", "unicorns")]
    [InlineData("analytics", "export", "--env", "dev", "--to", "")]
    [InlineData("analytics", "export", "--env", "dev", "--to", "out", "--gcs", "ftp://x")]
    public async Task Export_BadFlags_ExitTwoWithOneLine(params string[] args)
    {
        var error = new StringWriter();

        var code = await HostCommandLine.RunAsync(args, (_, _) => Task.FromResult(0), error);

        Assert.Equal(HostCommandLine.BadUsage, code);
        Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_ToIsAFile_ExitTwoWithOneLineAndNothingWritten()
    {
        var file = Path.Combine(_folder, "not-a-folder");
        File.WriteAllText(file, "x");
        var error = new StringWriter();

        var code = await RunAsync(["analytics", "export", "--env", "dev", "--to", file], emulator.NewBucketName("none"), new StringWriter(), error);

        Assert.Equal(HostCommandLine.BadUsage, code);
        Assert.Equal($"error: --to '{file}' is a file; give a folder.\n", error.ToString().ReplaceLineEndings("\n"));
        Assert.Equal("x", File.ReadAllText(file));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private List<JsonObject> ReadLines(string kind) =>
        [.. File.ReadAllText(Path.Combine(_folder, kind + ".ndjson")).Split('\n').SkipLast(1).Select(l => JsonText.ParseObject(l))];

    /// <summary>Parses like <c>Program</c> does, then runs the export with captured output.</summary>
    private async Task<int> RunAsync(string[] args, string bucket, StringWriter output, StringWriter error, bool interactive = false)
    {
        var parsed = HostCommandLine.Create((_, _) => Task.FromResult(0)).Parse([.. args, "--gcs", emulator.Server.BaseUri.ToString(), "--bucket", bucket]);
        Assert.Empty(parsed.Errors);
        return await AnalyticsExportRunner.RunAsync(AnalyticsCommandLine.ToExportSettings(parsed), output, error, interactive, CancellationToken.None);
    }

    /// <summary>V1 (written, then patched), V2, V-BIG (above the gzip threshold) and T1 in dev; a venture in stg that dev's export leaves out.</summary>
    private async Task<(GcsObjectStore Store, string Bucket)> PopulatedAsync()
    {
        var (context, store, bucket) = await EmulatorStorage.CreateAsync(emulator, "ex");
        var pipeline = new EntityWritePipeline(context);
        await pipeline.WriteAsync(Venture("V1"), VentureDocument("dev", "V1", "Bob"), Ulid.NewUlid());
        await pipeline.WriteAsync(Venture("V1"), JsonText.ParseObject("""{"updated_at":"2025-11-03T00:00:00Z","status":"Scale"}"""), Ulid.NewUlid(), ChangeKind.MergePatch);
        await pipeline.WriteAsync(Venture("V2"), VentureDocument("dev", "V2", "Ann"), Ulid.NewUlid());
        await pipeline.WriteAsync(Venture("V-BIG"), VentureDocument("dev", "V-BIG", "Eve", name: string.Concat(Enumerable.Range(0, 10_000).Select(i => $"n{i:D5}-"))), Ulid.NewUlid());
        await pipeline.WriteAsync(new EntityTarget("stg", EntityCatalog.Venture, "V3"), VentureDocument("stg", "V3", "Zed"), Ulid.NewUlid());
        await pipeline.WriteAsync(new EntityTarget("dev", EntityCatalog.Talent, "T1"), JsonText.ParseObject("""
            {"id":"T1","entity":"talent","env":"dev","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z",
             "updated_at":"2025-11-02T00:00:00Z","name":"Ada","location":"London","skills":["rust"]}
            """), Ulid.NewUlid());
        return (store, bucket);
    }

    private static EntityTarget Venture(string id) => new("dev", EntityCatalog.Venture, id);

    private static JsonObject VentureDocument(string env, string id, string lead, string name = "A venture") => new()
    {
        ["id"] = id, ["entity"] = "venture", ["env"] = env, ["schema_version"] = "1.0.0",
        ["created_at"] = "2025-11-01T00:00:00Z", ["updated_at"] = "2025-11-02T00:00:00Z",
        ["name"] = name, ["lead"] = lead, ["status"] = "Pilot", ["milestones"] = new JsonArray(),
    };
}
