using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Schemas;

namespace EccoStudio.Storage.Tests.Schemas;

public class EntitySchemaTests
{
    private readonly EntitySchemaRegistry _registry = EntitySchemaRegistry.FromFolder(TestData.SchemasFolder);

    [Theory]
    [InlineData("idea.history.json", "idea")]
    [InlineData("venture.snapshot.json", "venture")]
    [InlineData("cap_table.snapshot.json", "cap_table")]
    [InlineData("round.snapshot.json", "round")]
    public async Task Validate_SpecExamples_AreValidAndRoundTrip(string file, string entity)
    {
        var doc = TestData.Example(file);
        var schema = await _registry.GetAsync("prod", EntityCatalog.Get(entity), SchemaVersion.Parse(doc["schema_version"]!.GetValue<string>()));
        Assert.Empty(schema.Validate(doc));
        var again = JsonText.ParseObject(JsonText.ToBytes(doc));
        Assert.True(JsonNode.DeepEquals(doc, again));
        Assert.Empty(schema.Validate(again));
    }

    [Fact]
    public async Task Validate_EverySchemaCompiles_AndRequiresEnvelope()
    {
        foreach (var kind in EntityCatalog.All)
        {
            var schema = await _registry.GetAsync("dev", kind, SchemaVersion.V1);
            var errors = schema.Validate(new JsonObject());
            foreach (var field in new[] { "id", "entity", "env", "schema_version", "created_at", "updated_at" })
            {
                Assert.Contains(errors, e => e.Keyword == "required" && e.Message.Contains(field, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task Validate_CapTableBadDateAndPercent_ReportsEveryErrorWithPointer()
    {
        var doc = TestData.Example("cap_table.snapshot.json");
        doc["asOf"] = "2025-13-45";
        doc["holders"]![1]!["pctFullyDiluted"] = 1.5;
        doc["holders"]![2]!["security"] = "WARRANT";
        var schema = await _registry.GetAsync("prod", EntityCatalog.CapTable, SchemaVersion.V1);
        var errors = schema.Validate(doc);
        Assert.Contains(errors, e => e.InstancePointer == "/asOf" && e.Keyword == "format");
        Assert.Contains(errors, e => e.InstancePointer == "/holders/1/pctFullyDiluted" && e.Keyword == "maximum");
        Assert.Contains(errors, e => e.InstancePointer == "/holders/2/security" && e.Keyword == "enum");
        var ex = Assert.Throws<SchemaViolationException>(() => schema.EnsureValid(doc));
        Assert.Equal("CT-V001", ex.Id);
        Assert.True(ex.Errors.Count >= 3);
    }

    [Fact]
    public async Task Validate_RoundMissingCloseDate_Fails()
    {
        var doc = TestData.Example("round.snapshot.json");
        doc.Remove("closeDate");
        var schema = await _registry.GetAsync("prod", EntityCatalog.Round, SchemaVersion.V1);
        Assert.Contains(schema.Validate(doc), e => e.Keyword == "required" && e.Message.Contains("closeDate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAsync_UnknownVersion_Throws()
    {
        var ex = await Assert.ThrowsAsync<UnknownSchemaVersionException>(() => _registry.GetAsync("prod", EntityCatalog.Venture, new SchemaVersion(9, 9, 9)));
        Assert.Equal("venture", ex.Entity);
        Assert.Equal("9.9.9", ex.SchemaVersion);
    }

    [Fact]
    public void SchemaFiles_CapTableAndRound_AreTheSpecExcerpts()
    {
        var capTable = JsonText.ParseObject(File.ReadAllText(Path.Combine(TestData.SchemasFolder, "cap_table", "v1.0.0.schema.json")));
        Assert.Equal("CapTable", capTable["title"]!.GetValue<string>());
        Assert.Equal(["id", "entity", "env", "schema_version", "created_at", "updated_at", "ventureId", "asOf", "holders"],
            capTable["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        var round = JsonText.ParseObject(File.ReadAllText(Path.Combine(TestData.SchemasFolder, "round", "v1.0.0.schema.json")));
        Assert.Equal("FundraisingRound", round["title"]!.GetValue<string>());
        Assert.True(round["additionalProperties"]!.GetValue<bool>());
    }
}
