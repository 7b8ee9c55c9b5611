using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Migrations;
using EccoStudio.Storage.Schemas;
using EccoStudio.Testing.Samples;

namespace EccoStudio.Storage.Tests.Migrations;

/// <summary>
/// The declared migrations (docs/schema-evolution.md): the repo's venture 1.0.0 → 1.1.0 file, what it does to
/// documents and merge patches, the folding rule, and the checks that refuse a schemas folder the fold cannot rely on.
/// </summary>
public sealed class SchemaMigrationsTests
{
    private static readonly SchemaMigrations Repo = SchemaMigrations.Load(TestData.SchemasFolder);
    private static readonly MigrationChain Ventures = Repo.For(EntityCatalog.Venture);

    private static JsonObject V100(string id = "V1", string? name = "Rocket") => JsonText.ParseObject($$"""
        {"id":"{{id}}","entity":"venture","env":"dev","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z","updated_at":"2025-11-01T00:00:00Z",
         {{(name is null ? "" : $"\"name\":\"{name}\",")}}"lead":"Bob","status":"Pilot","milestones":[]}
        """);

    [Fact]
    public void Load_RepoFolder_VentureChainOneToOneOneOthersNone()
    {
        Assert.Equal("venture: 1.0.0 → 1.1.0", Ventures.ToString());
        Assert.Equal(SchemaVersion.Parse("1.1.0"), Ventures.Latest);
        Assert.Equal([EntityCatalog.Venture], Repo.Chains.Select(c => c.Kind));
        Assert.All(EntityCatalog.All.Where(k => k != EntityCatalog.Venture), k => Assert.True(Repo.For(k).IsEmpty));
    }

    [Fact]
    public void Migrate_Venture100_RenamedDefaultedVersionedInputUntouched()
    {
        var before = V100();
        var text = before.ToJsonString();

        var after = Ventures.Migrate(before);

        Assert.Equal(text, before.ToJsonString());
        Assert.Equal(
            """{"id":"V1","entity":"venture","env":"dev","schema_version":"1.1.0","created_at":"2025-11-01T00:00:00Z","updated_at":"2025-11-01T00:00:00Z","lead":"Bob","status":"Pilot","milestones":[],"title":"Rocket","reportingCurrency":"USD"}""",
            JsonText.ToText(after));
        Assert.Same(after, Ventures.Migrate(after)); // at the latest: nothing to do
        Assert.False(Ventures.IsBehind(after));
        Assert.True(Ventures.IsBehind(before));
    }

    [Fact]
    public void Migrate_KeepsAnExplicitCurrencyAndAVentureWithoutName()
    {
        var doc = V100(name: null);
        doc["reportingCurrency"] = "EUR";

        var after = Ventures.Migrate(doc);

        Assert.Equal("EUR", after["reportingCurrency"]!.GetValue<string>());
        Assert.False(after.ContainsKey("title"));
        Assert.False(after.ContainsKey("name"));
    }

    [Fact]
    public async Task Migrate_EverySchemaSampleOf100_IsValidAt110()
    {
        var registry = EntitySchemaRegistry.FromFolder(TestData.SchemasFolder);
        var v100 = JsonText.ParseObject(await File.ReadAllTextAsync(Path.Combine(TestData.SchemasFolder, "venture", "v1.0.0.schema.json")));
        var sample = SchemaSamples.Document(EntityCatalog.Venture, SchemaVersion.V1, v100, "dev", "V-S");
        Assert.Empty((await registry.GetAsync("dev", EntityCatalog.Venture, SchemaVersion.V1)).Validate(sample));

        var migrated = Ventures.Migrate(sample);

        Assert.Empty((await registry.GetAsync("dev", EntityCatalog.Venture, Ventures.Latest!.Value)).Validate(migrated));
        Assert.NotEmpty((await registry.GetAsync("dev", EntityCatalog.Venture, Ventures.Latest!.Value)).Validate(sample)); // 1.0.0 as it is lacks reportingCurrency
    }

    [Theory]
    [InlineData("""{"updated_at":"2025-11-02T00:00:00Z","name":"X"}""", """{"updated_at":"2025-11-02T00:00:00Z","title":"X"}""")]
    [InlineData("""{"updated_at":"2025-11-02T00:00:00Z","name":null}""", """{"updated_at":"2025-11-02T00:00:00Z","title":null}""")]
    [InlineData("""{"schema_version":"1.0.0","name":"X"}""", """{"schema_version":"1.1.0","title":"X"}""")]
    [InlineData("""{"schema_version":"1.1.0","name":"X"}""", """{"schema_version":"1.1.0","name":"X"}""")]
    [InlineData("""{"title":"Y","status":"Build"}""", """{"title":"Y","status":"Build"}""")]
    [InlineData("""{"reportingCurrency":null}""", """{"reportingCurrency":null}""")]
    public void MigratePatch_ReadFromItsVersionOrTheFirst_DefaultsNotAdded(string patch, string expected) =>
        Assert.Equal(expected, JsonText.ToText(Ventures.MigratePatch(JsonText.ParseObject(patch))));

    [Fact]
    public void Fold_MixedVersions_LandsAtLatestAndIncrementalStepsAgree()
    {
        var records = new[]
        {
            Record(1, V100()),
            Record(2, JsonText.ParseObject("""{"updated_at":"2025-11-02T00:00:00Z","name":"Rocket 2","_change":"merge-patch"}""")),
            Record(3, JsonText.ParseObject("""{"updated_at":"2025-11-03T00:00:00Z","schema_version":"1.1.0","reportingCurrency":"GBP","_change":"merge-patch"}""")),
            Record(4, JsonText.ParseObject("""{"updated_at":"2025-11-04T00:00:00Z","schema_version":"1.0.0","name":"Rocket 4","status":"Build","_change":"merge-patch"}""")),
        };

        var fold = HistoryFold.Fold(records, migrations: Ventures);

        var doc = fold.Document!;
        Assert.Equal("1.1.0", doc["schema_version"]!.GetValue<string>());
        Assert.Equal("Rocket 4", doc["title"]!.GetValue<string>());
        Assert.Equal("GBP", doc["reportingCurrency"]!.GetValue<string>());
        Assert.Equal("Build", doc["status"]!.GetValue<string>());
        Assert.False(doc.ContainsKey("name"));
        JsonObject? state = null;
        foreach (var record in records)
        {
            state = HistoryFold.Step(state, record, Ventures);
        }

        Assert.Equal(JsonText.ToText(doc), JsonText.ToText(state));
        // The fold of a snapshot written before 1.1.0 existed, migrated, equals the fold with migrations.
        Assert.Equal(JsonText.ToText(HistoryFold.Fold(records.Take(2), migrations: Ventures).Document),
            JsonText.ToText(Ventures.Migrate(HistoryFold.Fold(records.Take(2)).Document!)));
        Assert.Equal("Rocket 2", HistoryFold.Fold(records.Take(2)).Document!["name"]!.GetValue<string>()); // without migrations: as written
    }

    private static HistoryRecord Record(int day, JsonObject body) =>
        HistoryRecord.FromBody(body, Ulid.Parse($"01JC{day:D2}{new string('0', 20)}"));

    [Fact]
    public void JsonPointerPath_ParsesMembersAndRefusesRootAndBadEscapes()
    {
        Assert.True(JsonPointerPath.TryParse("/budget/a~1b~0c", out var path));
        Assert.Equal(["budget", "a/b~c"], path.Segments);
        Assert.False(JsonPointerPath.TryParse("", out _));
        Assert.False(JsonPointerPath.TryParse("/", out _));
        Assert.False(JsonPointerPath.TryParse("name", out _));
        Assert.False(JsonPointerPath.TryParse("/a~2", out _));
        Assert.False(JsonPointerPath.TryParse("/a//b", out _));
    }

    [Fact]
    public void Operations_NestedRenameMapRemove_DocumentAndPatchReadings()
    {
        var migration = new SchemaMigration(EntityCatalog.Venture, SchemaVersion.V1, SchemaVersion.Parse("1.1.0"), "test",
        [
            MigrationOperation.Parse(JsonNode.Parse("""{"op":"rename","from":"/budget/plannedUSD","to":"/plan/usd"}"""), "t"),
            MigrationOperation.Parse(JsonNode.Parse("""{"op":"map","path":"/status","values":{"Pilot":"Trial"}}"""), "t"),
            MigrationOperation.Parse(JsonNode.Parse("""{"op":"remove","path":"/legacy"}"""), "t"),
            MigrationOperation.Parse(JsonNode.Parse("""{"op":"default","path":"/budget/currency","value":"USD"}"""), "t"),
        ]);
        var doc = JsonText.ParseObject("""{"schema_version":"1.0.0","status":"Pilot","legacy":1,"budget":{"plannedUSD":5}}""");
        migration.ApplyToDocument(doc);
        Assert.Equal("""{"schema_version":"1.1.0","status":"Trial","budget":{"currency":"USD"},"plan":{"usd":5}}""", JsonText.ToText(doc));

        var patch = JsonText.ParseObject("""{"status":"Pilot","legacy":2,"budget":{"plannedUSD":null}}""");
        migration.ApplyToPatch(patch);
        Assert.Equal("""{"status":"Trial","budget":{},"plan":{"usd":null}}""", JsonText.ToText(patch));
    }

    public static TheoryData<string, string, string> BadFolders => new()
    {
        { "v1.1.0.migration.json", """{"entity":"venture","from":"1.0.0","to":"1.1.0","operations":[{"op":"copy","from":"/a","to":"/b"}]}""", "unknown op 'copy'" },
        { "v1.1.0.migration.json", """{"entity":"venture","from":"1.0.0","to":"1.2.0","operations":[]}""", "the file name says 1.1.0" },
        { "v1.1.0.migration.json", """{"entity":"idea","from":"1.0.0","to":"1.1.0","operations":[]}""", "'entity' must be 'venture'" },
        { "v1.1.0.migration.json", """{"entity":"venture","from":"1.1.0","to":"1.1.0","operations":[]}""", "must be older" },
        { "v1.1.0.migration.json", """{"entity":"venture","from":"1.0.0","to":"1.1.0"}""", "'operations' must be an array" },
        { "v1.1.0.migration.json", """{"entity":"venture","from":"1.0.0","to":"1.1.0","operations":[],"extra":1}""", "unknown member 'extra'" },
        { "v1.1.0.migration.json", """{"entity":"venture","from":"1.0.0","to":"1.1.0","operations":[{"op":"rename","from":"/a","to":"/a/b"}]}""", "two unrelated members" },
        { "v1.1.0.migration.json", """{"entity":"venture","from":"1.0.0","to":"1.1.0","operations":[{"op":"default","path":"/a"}]}""", "non-null 'value'" },
        { "v1.1.0.migration.json", """{"entity":"venture","from":"1.0.0","to":"1.1.0","operations":[{"op":"remove","path":"a"}]}""", "JSON pointer" },
        { "v2.0.0.migration.json", """{"entity":"venture","from":"1.0.0","to":"2.0.0","operations":[]}""", "there is no venture/v2.0.0.schema.json" },
        { "v1.2.0.migration.json", """{"entity":"venture","from":"1.1.0","to":"1.2.0","operations":[{"op":"default","path":"/name","value":"x"}]}""", "a member name is never reused" },
        { "v1.2.0.migration.json", """{"entity":"venture","from":"1.0.0","to":"1.2.0","operations":[]}""", "2 migrations start at 1.0.0" },
    };

    [Theory]
    [MemberData(nameof(BadFolders))]
    public void Load_BadMigrationFile_RefusedNamingIt(string file, string text, string expected)
    {
        var folder = CopyVentureFolder();
        try
        {
            if (file is "v1.2.0.migration.json" or "v2.0.0.migration.json")
            {
                File.Copy(Path.Combine(folder, "venture", "v1.1.0.schema.json"), Path.Combine(folder, "venture", file.Replace(".migration.json", ".schema.json", StringComparison.Ordinal)));
                if (file == "v2.0.0.migration.json")
                {
                    File.Delete(Path.Combine(folder, "venture", "v2.0.0.schema.json"));
                }
            }

            File.WriteAllText(Path.Combine(folder, "venture", file), text);

            var e = Assert.Throws<SchemaMigrationException>(() => SchemaMigrations.Load(folder));

            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Load_SchemaVersionOffTheChain_Refused()
    {
        var folder = CopyVentureFolder();
        try
        {
            File.Copy(Path.Combine(folder, "venture", "v1.1.0.schema.json"), Path.Combine(folder, "venture", "v1.2.0.schema.json"));

            var e = Assert.Throws<SchemaMigrationException>(() => SchemaMigrations.Load(folder));

            Assert.Contains("no migration leads from or to 1.2.0", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A scratch schemas folder holding the repo's venture folder (and indices.json).</summary>
    private static string CopyVentureFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ecco-mig-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(folder, "venture"));
        foreach (var file in Directory.GetFiles(Path.Combine(TestData.SchemasFolder, "venture")))
        {
            File.Copy(file, Path.Combine(folder, "venture", Path.GetFileName(file)));
        }

        File.Copy(Path.Combine(TestData.SchemasFolder, "indices.json"), Path.Combine(folder, "indices.json"));
        return folder;
    }
}
