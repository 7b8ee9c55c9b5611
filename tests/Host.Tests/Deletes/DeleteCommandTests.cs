using EccoStudio.GcsEmulator.Faults;
using EccoStudio.Host.Commands;
using EccoStudio.Host.Deletes;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Consistency;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using EccoStudio.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EccoStudio.Host.Tests.Deletes;

/// <summary>
/// <c>delete</c>: the HTTP DELETE's orchestration from the command line, on an embedded engine against the emulator.
/// Emulator faults are class-wide: tests here run one at a time.
/// </summary>
public sealed class DeleteCommandTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    private static readonly string SchemasFolder = EmulatorStorage.SchemasFolder;

    /// <summary>Short step retries, so the failure path ends in seconds.</summary>
    private static readonly WritePathOptions QuickRetries = new()
    {
        Retry = new() { MaxAttempts = 3, FirstRetryInterval = TimeSpan.FromMilliseconds(100), BackoffCoefficient = 2, MaxRetryInterval = TimeSpan.FromSeconds(1) },
    };

    [Fact]
    public async Task Delete_ExistingVenture_TombstoneAppendedSnapshotEntryPointersGoneOthersKept()
    {
        var (context, store, bucket) = await PopulatedAsync();
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await RunAsync(["delete", "--env", "dev", "--entity", "ventures", "--id", "V1", "--by", "ops@test"], bucket, output, error);

        Assert.True(code == 0, error.ToString());
        Assert.StartsWith("deleted dev/venture/V1: tombstone", output.ToString(), StringComparison.Ordinal);
        var v1 = Venture("V1");
        Assert.Null(await store.GetAsync(bucket, ObjectPaths.Snapshot(v1)));
        Assert.Null(await store.GetAsync(bucket, ObjectPaths.ManifestEntry(v1)));
        Assert.DoesNotContain(await store.ListAllAsync(bucket, "env/dev/indices/ventures/"), o => o.Name.EndsWith("/V1.json", StringComparison.Ordinal));
        Assert.NotNull(await store.GetAsync(bucket, ObjectPaths.Snapshot(Venture("V2"))));
        var history = await store.ListAllAsync(bucket, ObjectPaths.HistoryPrefix(v1));
        Assert.Equal(2, history.Count);
        var tombstone = history.Select(h => store.GetAsync(bucket, h.Name).GetAwaiter().GetResult()!).Single(h => JsonText.ParseObject(h.Content.Span)["_change"]?.GetValue<string>() == "delete");
        Assert.Equal("ops@test", tombstone.Info.Metadata["ecco-written-by"]);
        var report = await new ConsistencyChecker(context).CheckAsync("dev", [EntityCatalog.Venture]);
        Assert.True(report.IsConsistent, report.Summary());
    }

    [Fact]
    public async Task Delete_IndexStepFailsForGood_ExitOneCompensatedEntityAsItWas()
    {
        var (context, store, bucket) = await PopulatedAsync();
        var snapshot = await store.GetAsync(bucket, ObjectPaths.Snapshot(Venture("V1")));
        emulator.Server.Faults.Update(new FaultSettings { Rate503 = 1.0, Method = "DELETE", ObjectPrefix = "env/dev/indices/ventures/" });
        int code;
        var error = new StringWriter();
        try
        {
            code = await RunAsync(["delete", "--env", "dev", "--entity", "venture", "--id", "V1"], bucket, new StringWriter(), error, QuickRetries);
        }
        finally
        {
            emulator.Server.Faults.Update(new FaultSettings());
        }

        Assert.Equal(DeleteRunner.Compensated, code);
        Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
        Assert.Contains("Compensated", error.ToString(), StringComparison.Ordinal);
        var after = await store.GetAsync(bucket, ObjectPaths.Snapshot(Venture("V1")));
        Assert.NotNull(after);
        Assert.Equal(JsonText.ParseObject(snapshot!.Content.Span).ToJsonString(), JsonText.ParseObject(after.Content.Span).ToJsonString());
        var report = await new ConsistencyChecker(context).CheckAsync("dev", [EntityCatalog.Venture]);
        Assert.True(report.IsConsistent, report.Summary());
    }

    [Fact]
    public async Task Delete_UnknownIdWrongEntityOrStaleIfMatch_ExitTwoAndNothingWritten()
    {
        var (_, store, bucket) = await PopulatedAsync();
        var before = await FingerprintAsync(store, bucket);
        var generation = (await store.GetInfoAsync(bucket, ObjectPaths.Snapshot(Venture("V1"))))!.Generation;

        foreach (var args in new[]
                 {
                     new[] { "delete", "--env", "dev", "--entity", "ventures", "--id", "V9" },
                     ["delete", "--env", "dev", "--entity", "ideas", "--id", "V1"],
                     ["delete", "--env", "dev", "--entity", "ventures", "--id", "V1", "--if-match", (generation + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)],
                 })
        {
            var error = new StringWriter();
            Assert.Equal(HostCommandLine.BadUsage, await RunAsync(args, bucket, new StringWriter(), error));
            Assert.StartsWith("error: ", error.ToString(), StringComparison.Ordinal);
            Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
        }

        Assert.Equal(before, await FingerprintAsync(store, bucket));
    }

    [Theory]
    [InlineData("delete", "--env", "dev", "--entity", "ventures")]
    [InlineData("delete", "--env", "dev", "--id", "V1")]
    [InlineData("delete", "--env", "qa", "--entity", "ventures", "--id", "V1")]
    [InlineData("delete", "--env", "dev", "--entity", "unicorns", "--id", "V1")]
    [InlineData("delete", "--env", "dev", "--entity", "ventures", "--id", "a/b")]
    [InlineData("delete", "--env", "dev", "--entity", "ventures", "--id", "V1", "--if-match", "0")]
    [InlineData("delete", "--env", "dev", "--entity", "ventures", "--id", "V1", "--if-match", "abc")]
    public async Task Delete_BadFlags_ExitTwoWithOneLine(params string[] args)
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
        return await DeleteRunner.RunAsync(DeleteCommandLine.ToSettings(parsed), output, error, writePath, CancellationToken.None);
    }

    private async Task<(StorageContext Context, GcsObjectStore Store, string Bucket)> PopulatedAsync()
    {
        var (context, store, bucket) = await EmulatorStorage.CreateAsync(emulator, "del");
        var pipeline = new EntityWritePipeline(context);
        foreach (var id in new[] { "V1", "V2" })
        {
            await pipeline.WriteAsync(Venture(id), JsonText.ParseObject($$"""
                {"id":"{{id}}","entity":"venture","env":"dev","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z","updated_at":"2025-11-02T00:00:00Z",
                 "lead":"Bob","status":"Pilot","milestones":[]}
                """), Ulid.NewUlid());
        }

        return (context, store, bucket);
    }

    private static EntityTarget Venture(string id) => new("dev", EntityCatalog.Venture, id);

    private static async Task<List<string>> FingerprintAsync(GcsObjectStore store, string bucket)
    {
        var all = new List<string>();
        string? token = null;
        do
        {
            var page = await store.ListVersionsAsync(bucket, "", token);
            all.AddRange(page.Objects.Select(o => $"{o.Name}#{o.Generation}#{o.Metageneration}"));
            token = page.NextPageToken;
        }
        while (token is not null);

        return all;
    }
}
