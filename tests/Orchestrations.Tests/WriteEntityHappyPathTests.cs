using System.Text.Json;
using EccoStudio.Orchestrations.Steps;
using EccoStudio.Orchestrations.Tests.Support;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;
using EccoStudio.Testing;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Orchestrations.Tests;

[Trait("Backend", "InMemory")]
public sealed class WriteEntityHappyPathTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    [Fact]
    public async Task Write_SpecExamples_LandExactlyTheSpecObjects()
    {
        await using var harness = await WritePathHarness.StartAsync(emulator);
        var results = new Dictionary<string, WriteEntityResult>();
        foreach (var (file, entity) in new[] { ("idea.history.json", "idea"), ("venture.snapshot.json", "venture"), ("cap_table.snapshot.json", "cap_table"), ("round.snapshot.json", "round") })
        {
            var text = await File.ReadAllTextAsync(Path.Combine(Docs.ExamplesFolder, file));
            var id = JsonText.ParseObject(text)["id"]!.GetValue<string>();
            var done = await harness.WriteAsync(new WriteEntityInput("prod", entity, id, text, WrittenBy: "test@ecco.studio"));
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
            var result = done.ReadOutputAs<WriteEntityResult>()!;
            Assert.True(result.HistoryCreated);
            Assert.Equal("test@ecco.studio", result.WrittenBy);
            results[file] = result;
        }

        var all = await harness.ListAsync();
        var history = all.Where(n => n.Contains("/history/", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, history.Count);
        Assert.Equal(results.Values.Select(r => r.HistoryObject).Order(StringComparer.Ordinal), history);
        Assert.Matches(@"^env/prod/ideas/IDEA-001/history/2025/11/06/2025-11-06T10:18:22Z_[0-9A-HJKMNP-TV-Z]{26}\.json$", results["idea.history.json"].HistoryObject);
        foreach (var name in history)
        {
            Assert.Equal("test@ecco.studio", (await harness.ReadAsync(name)).Info.Metadata[HistoryWriter.WrittenByMetadataKey]);
        }

        Assert.Equal(
            [
                "env/prod/indices/cap_tables/by-venture/V001.json",
                "env/prod/indices/ideas/by-status/Under Review/IDEA-001.json",
                "env/prod/indices/rounds/by-stage/SEED/R-V001-SEED.json",
                "env/prod/indices/rounds/by-venture/V001/R-V001-SEED.json",
                "env/prod/indices/ventures/by-lead/Bob/V001.json",
                "env/prod/indices/ventures/by-next-due/2026-02/V001.json",
                "env/prod/indices/ventures/by-status/Pilot/V001.json",
                "env/prod/manifests/cap_tables/entries/CT-V001.json",
                "env/prod/manifests/ideas/entries/IDEA-001.json",
                "env/prod/manifests/rounds/entries/R-V001-SEED.json",
                "env/prod/manifests/ventures/entries/V001.json",
                "env/prod/snapshots/cap_tables/CT-V001.json",
                "env/prod/snapshots/ideas/IDEA-001.json",
                "env/prod/snapshots/rounds/R-V001-SEED.json",
                "env/prod/snapshots/ventures/V001.json",
            ],
            all.Except(history).ToList());

        string Landed(string file) => File.ReadAllText(Path.Combine(Docs.ExamplesFolder, "landed", file));
        Assert.Equal(Landed("idea.history.json"), await harness.ReadTextAsync(results["idea.history.json"].HistoryObject));
        Assert.Equal(Landed("idea.history.json"), await harness.ReadTextAsync("env/prod/snapshots/ideas/IDEA-001.json"));
        // The spec's venture is 1.0.0: history keeps it as sent, the snapshot is at the latest version (docs/schema-evolution.md).
        var ventures = Storage.Migrations.SchemaMigrations.Load(Storage.Schemas.FolderSchemaSource.FindRepoSchemas()).For(Storage.Catalog.EntityCatalog.Venture);
        Assert.Equal(Storage.Json.JsonText.ToText(ventures.Migrate(Storage.Json.JsonText.ParseObject(Landed("venture.snapshot.json")))),
            await harness.ReadTextAsync("env/prod/snapshots/ventures/V001.json"));
        Assert.Equal(Landed("venture.snapshot.json"), await harness.ReadTextAsync(results["venture.snapshot.json"].HistoryObject));
        Assert.Equal(Landed("cap_table.snapshot.json"), await harness.ReadTextAsync("env/prod/snapshots/cap_tables/CT-V001.json"));
        Assert.Equal(Landed("round.snapshot.json"), await harness.ReadTextAsync("env/prod/snapshots/rounds/R-V001-SEED.json"));
        Assert.Equal("""{"ptr":"env/prod/snapshots/ventures/V001.json","id":"V001","updated_at":"2025-11-06T10:21:23Z","status":"Pilot","lead":"Bob"}""",
            await harness.ReadTextAsync("env/prod/manifests/ventures/entries/V001.json"));
        Assert.Equal("""{"ptr":"env/prod/snapshots/cap_tables/CT-V001.json","id":"CT-V001","updated_at":"2025-11-06T10:35:00Z","asOf":"2025-11-01"}""",
            await harness.ReadTextAsync("env/prod/indices/cap_tables/by-venture/V001.json"));
        var snapshot = await harness.ReadAsync("env/prod/snapshots/ventures/V001.json");
        Assert.StartsWith("2025-11-06T10:21:23Z|", snapshot.Info.Metadata["ecco-last-applied"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_Completed_CustomStatusShowsEveryStepDone()
    {
        await using var harness = await WritePathHarness.StartAsync(emulator);
        var done = await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-STATUS", Docs.Venture("V-STATUS", "2025-11-06T10:00:00Z")));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var status = JsonSerializer.Deserialize<WriteStatus>(done.SerializedCustomStatus!)!;
        Assert.Equal(WriteSteps.Completed, status.Step);
        Assert.Equal([WriteSteps.Validate, WriteSteps.History, WriteSteps.Snapshot, WriteSteps.Manifest, WriteSteps.Indices, WriteSteps.Rules], status.Done);
        Assert.Null(status.LastError);
        Assert.Equal(done.ReadOutputAs<WriteEntityResult>()!.HistoryObject, status.HistoryObject);
    }

    [Fact]
    public async Task Write_InvalidDocument_FailsAtValidateAndWritesNothing()
    {
        await using var harness = await WritePathHarness.StartAsync(emulator);
        var bad = Docs.Venture("V-BAD", "2025-11-06T10:00:00Z").Replace("\"status\":\"Pilot\"", "\"status\":42", StringComparison.Ordinal);
        var done = await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-BAD", bad));
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("failed at step validate after 1 attempt(s): EccoStudio.Storage.Schemas.SchemaViolationException", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("nothing was written", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(await harness.ListAsync());
    }

    [Fact]
    public async Task Write_MergePatch_FoldsIntoSnapshotAndMovesPointers()
    {
        await using var harness = await WritePathHarness.StartAsync(emulator);
        Assert.Equal(OrchestrationRuntimeStatus.Completed,
            (await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-P", Docs.Venture("V-P", "2025-11-06T10:00:00Z")))).RuntimeStatus);
        var patch = Docs.VenturePatch("V-P", "2025-11-06T11:00:00Z", new() { ["status"] = "Build" });
        var done = await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-P", patch, ChangeKind.MergePatch));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);

        var snapshot = JsonText.ParseObject(await harness.ReadTextAsync("env/dev/snapshots/ventures/V-P.json") ?? "{}");
        Assert.Equal("Build", snapshot["status"]!.GetValue<string>());
        Assert.Equal("2025-11-06T11:00:00Z", snapshot["updated_at"]!.GetValue<string>());
        var pointers = await harness.ListAsync("env/dev/indices/ventures/by-status/");
        Assert.Equal(["env/dev/indices/ventures/by-status/Build/V-P.json"], pointers);
        Assert.Contains("\"_change\":\"merge-patch\"", await harness.ReadTextAsync(done.ReadOutputAs<WriteEntityResult>()!.HistoryObject), StringComparison.Ordinal);
    }
}
