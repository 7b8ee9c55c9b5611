using System.Text.Json.Nodes;
using EccoStudio.Api.Writes;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Layout;

namespace EccoStudio.Api.Tests.Writes;

/// <summary>The envelope stamping rule of the HTTP API (docs/api.md, "Envelope stamping").</summary>
public sealed class EnvelopeStamperTests
{
    private static readonly EntityTarget Target = EntityTarget.Of("dev", "cap_table", "CT-1");
    private static readonly DateTimeOffset Accepted = new(2025, 11, 6, 10, 18, 22, 123, TimeSpan.Zero);

    private static JsonObject Body(string json = """{"schema_version":"1.0.0"}""") => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Stamp_NewEntityWithoutEnvelope_FillsRouteFieldsAndStampsBothTimes()
    {
        var body = Body();

        EnvelopeStamper.Stamp(Target, body, ChangeKind.Full, null, Accepted);

        Assert.Equal("CT-1", body["id"]!.GetValue<string>());
        Assert.Equal("cap_table", body["entity"]!.GetValue<string>());
        Assert.Equal("dev", body["env"]!.GetValue<string>());
        Assert.Equal(Rfc3339.Format(Accepted), body["updated_at"]!.GetValue<string>());
        Assert.Equal(body["updated_at"]!.GetValue<string>(), body["created_at"]!.GetValue<string>());
        Assert.Equal("1.0.0", body["schema_version"]!.GetValue<string>());
    }

    [Fact]
    public void Stamp_BodyWithEnvelopeMissingOrScattered_EnvelopeLeadsInSpecOrderRestKeepsCallerOrder()
    {
        var body = Body("""{"ventureId":"V1","schema_version":"1.0.0","asOf":"2025-11-01","id":"CT-1","holders":[]}""");

        EnvelopeStamper.Stamp(Target, body, ChangeKind.Full, null, Accepted);

        Assert.Equal(
            ["id", "entity", "env", "schema_version", "created_at", "updated_at", "ventureId", "asOf", "holders"],
            body.Select(p => p.Key).ToArray());
    }

    [Fact]
    public void Stamp_CallerSuppliesUpdatedAt_KeepsItForImports()
    {
        var body = Body("""{"schema_version":"1.0.0","updated_at":"2020-03-01T00:00:00Z"}""");

        EnvelopeStamper.Stamp(Target, body, ChangeKind.Full, null, Accepted);

        Assert.Equal("2020-03-01T00:00:00Z", body["updated_at"]!.GetValue<string>());
        Assert.Equal("2020-03-01T00:00:00Z", body["created_at"]!.GetValue<string>());
    }

    [Fact]
    public void Stamp_NewEntityWithCreatedAt_KeepsTheCallersCreatedAt()
    {
        var body = Body("""{"schema_version":"1.0.0","created_at":"2019-01-01T00:00:00Z"}""");

        EnvelopeStamper.Stamp(Target, body, ChangeKind.Full, null, Accepted);

        Assert.Equal("2019-01-01T00:00:00Z", body["created_at"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(ChangeKind.Full, """{"schema_version":"1.0.0"}""")]
    [InlineData(ChangeKind.Full, """{"schema_version":"1.0.0","created_at":"2030-01-01T00:00:00Z"}""")]
    [InlineData(ChangeKind.MergePatch, """{"created_at":"2030-01-01T00:00:00Z"}""")]
    public void Stamp_ExistingEntity_KeepsCreatedAtFromTheSnapshot(ChangeKind change, string json)
    {
        var body = Body(json);
        var current = Body("""{"created_at":"2024-05-05T05:05:05Z","updated_at":"2024-06-06T00:00:00Z"}""");

        EnvelopeStamper.Stamp(Target, body, change, current, Accepted);

        Assert.Equal("2024-05-05T05:05:05Z", body["created_at"]!.GetValue<string>());
        Assert.Equal(Rfc3339.Format(Accepted), body["updated_at"]!.GetValue<string>());
    }

    [Fact]
    public void Stamp_PatchWithoutCreatedAt_LeavesItToTheFold()
    {
        var body = Body("""{"status":"Pilot"}""");

        EnvelopeStamper.Stamp(Target, body, ChangeKind.MergePatch, Body("""{"created_at":"2024-05-05T05:05:05Z"}"""), Accepted);

        Assert.False(body.ContainsKey("created_at"));
        Assert.True(body.ContainsKey("updated_at"));
    }

    [Theory]
    [InlineData("id", "\"CT-2\"")]
    [InlineData("entity", "\"venture\"")]
    [InlineData("entity", "\"cap_tables\"")]
    [InlineData("env", "\"prod\"")]
    [InlineData("id", "5")]
    [InlineData("env", "null")]
    public void Stamp_BodyNamesAnotherTarget_IsRefusedNotRewritten(string field, string json)
    {
        var body = Body($$"""{"schema_version":"1.0.0","{{field}}":{{json}}}""");

        var error = Assert.Throws<EnvelopeException>(() => EnvelopeStamper.Stamp(Target, body, ChangeKind.Full, null, Accepted));

        Assert.Equal(field, error.Field);
        Assert.Equal(json, body[field]?.ToJsonString() ?? "null");
    }

    [Fact]
    public void Stamp_BodyRepeatsTheRoute_IsAccepted()
    {
        var body = Body("""{"schema_version":"1.0.0","id":"CT-1","entity":"cap_table","env":"dev"}""");

        EnvelopeStamper.Stamp(Target, body, ChangeKind.Full, null, Accepted);

        Assert.Equal("CT-1", body["id"]!.GetValue<string>());
    }
}
