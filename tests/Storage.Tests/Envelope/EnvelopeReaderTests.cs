using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;

namespace EccoStudio.Storage.Tests.Envelope;

public class EnvelopeReaderTests
{
    private static readonly EntityTarget Venture = new("prod", EntityCatalog.Venture, "V001");

    private static string Doc(string schemaVersion = "1.0.0", string entity = "venture", string env = "prod", string id = "V001",
        string created = "2025-11-01T00:00:00Z", string updated = "2025-11-06T10:21:23Z") =>
        $$"""{"id":"{{id}}","entity":"{{entity}}","env":"{{env}}","schema_version":"{{schemaVersion}}","created_at":"{{created}}","updated_at":"{{updated}}"}""";

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("v1.0.0")]
    public void Read_BothVersionForms_NormaliseTo100(string version)
    {
        var doc = JsonText.ParseObject(Doc(version));
        var envelope = EnvelopeReader.Read(doc, Venture);
        Assert.Equal(SchemaVersion.V1, envelope.SchemaVersion);
        EnvelopeReader.Normalise(doc, envelope);
        Assert.Equal("1.0.0", doc["schema_version"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2025, 11, 6, 10, 21, 23, TimeSpan.Zero), envelope.UpdatedAt);
    }

    [Theory]
    [InlineData("env", "stg")]
    [InlineData("id", "V002")]
    [InlineData("entity", "idea")]
    public void Read_MismatchWithTarget_ThrowsNamingField(string field, string value)
    {
        var text = field switch
        {
            "env" => Doc(env: value),
            "id" => Doc(id: value),
            _ => Doc(entity: value),
        };
        var ex = Assert.Throws<EnvelopeException>(() => EnvelopeReader.Read(JsonText.ParseObject(text), Venture));
        Assert.Equal(field, ex.Field);
        Assert.Equal(value, ex.Value);
    }

    [Fact]
    public void Read_UnknownEntity_ThrowsUnknownEntity() =>
        Assert.Equal("spaceship", Assert.Throws<UnknownEntityException>(() => EnvelopeReader.Read(JsonText.ParseObject(Doc(entity: "spaceship")), Venture)).Entity);

    [Theory]
    [InlineData("2025-11-06 10:21:23Z")]
    [InlineData("2025-11-06T10:21:23+02:00")]
    [InlineData("2025-11-06T10:21:23")]
    [InlineData("yesterday")]
    public void Read_NonUtcRfc3339_Throws(string updated) =>
        Assert.Equal("updated_at", Assert.Throws<EnvelopeException>(() => EnvelopeReader.Read(JsonText.ParseObject(Doc(updated: updated)), Venture)).Field);

    [Theory]
    [InlineData("1.0")]
    [InlineData("V1.0.0")]
    [InlineData("01.0.0")]
    public void Read_BadSchemaVersion_Throws(string version) =>
        Assert.Equal("schema_version", Assert.Throws<EnvelopeException>(() => EnvelopeReader.Read(JsonText.ParseObject(Doc(version)), Venture)).Field);

    [Fact]
    public void Read_MissingField_Throws()
    {
        var doc = JsonText.ParseObject(Doc());
        doc.Remove("created_at");
        Assert.Equal("created_at", Assert.Throws<EnvelopeException>(() => EnvelopeReader.Read(doc, Venture)).Field);
    }

    [Fact]
    public void Read_UpdatedBeforeCreated_Throws() =>
        Assert.Throws<EnvelopeException>(() => EnvelopeReader.Read(JsonText.ParseObject(Doc(created: "2025-12-01T00:00:00Z")), Venture));
}
