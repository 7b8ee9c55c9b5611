using System.Text.Json.Nodes;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;

namespace EccoStudio.Storage.Tests.History;

public class HistoryFoldTests
{
    private static HistoryRecord Record(string updatedAt, string body, Ulid? ulid = null)
    {
        var json = JsonText.ParseObject(body);
        json["updated_at"] = updatedAt;
        return HistoryRecord.FromBody(json, ulid ?? Ulid.NewUlid());
    }

    [Fact]
    public void Fold_OutOfOrderInput_AppliesByUpdatedAt()
    {
        var records = new[]
        {
            Record("2025-11-06T10:00:02Z", """{"_change":"merge-patch","b":2}"""),
            Record("2025-11-06T10:00:00Z", """{"id":"V1","a":0}"""),
            Record("2025-11-06T10:00:01Z", """{"_change":"merge-patch","a":1}"""),
        };
        var result = HistoryFold.Fold(records);
        Assert.Equal(1, result.Document!["a"]!.GetValue<int>());
        Assert.Equal(2, result.Document["b"]!.GetValue<int>());
        Assert.Equal("2025-11-06T10:00:02Z", result.Document["updated_at"]!.GetValue<string>());
        Assert.False(result.Document.ContainsKey("_change"));
        Assert.Equal(records[0].Key, result.LastApplied);
        Assert.Equal(3, result.AppliedCount);
    }

    [Fact]
    public void Fold_SameUpdatedAt_UlidBreaksTie()
    {
        var low = Ulid.Parse("01HFB9ZK3Q7W8X9Y0ABCDEFGH0");
        var high = Ulid.Parse("01HFB9ZK3Q7W8X9Y0ABCDEFGH9");
        var records = new[]
        {
            Record("2025-11-06T10:00:00Z", """{"v":"high"}""", high),
            Record("2025-11-06T10:00:00Z", """{"v":"low"}""", low),
        };
        Assert.Equal("high", HistoryFold.Fold(records).Document!["v"]!.GetValue<string>());
        Assert.Equal("high", HistoryFold.Fold(records.Reverse()).Document!["v"]!.GetValue<string>());
    }

    [Fact]
    public void Fold_CompensatedRecord_IsSkipped()
    {
        var bad = Ulid.NewUlid();
        var records = new[]
        {
            Record("2025-11-06T10:00:00Z", """{"status":"Pilot"}"""),
            Record("2025-11-06T10:00:01Z", """{"_change":"merge-patch","status":"Stopped"}""", bad),
            Record("2025-11-06T10:00:05Z", $$"""{"_change":"compensation","_compensates":"{{bad}}"}"""),
        };
        var result = HistoryFold.Fold(records);
        Assert.Equal("Pilot", result.Document!["status"]!.GetValue<string>());
        Assert.Equal(1, result.AppliedCount);
    }

    [Fact]
    public void Fold_AsOf_StopsAtTime()
    {
        var records = new[]
        {
            Record("2025-11-06T10:00:00Z", """{"n":1}"""),
            Record("2025-11-06T11:00:00Z", """{"n":2}"""),
        };
        var asOf = new DateTimeOffset(2025, 11, 6, 10, 30, 0, TimeSpan.Zero);
        Assert.Equal(1, HistoryFold.Fold(records, asOf).Document!["n"]!.GetValue<int>());
        Assert.Null(HistoryFold.Fold(records, asOf.AddDays(-1)).Document);
    }

    [Fact]
    public void FromBody_UnknownMarkerOrMissingCompensates_Throws()
    {
        Assert.Throws<EccoStudio.Storage.Envelope.EnvelopeException>(() => Record("2025-11-06T10:00:00Z", """{"_change":"weird"}"""));
        Assert.Throws<EccoStudio.Storage.Envelope.EnvelopeException>(() => Record("2025-11-06T10:00:00Z", """{"_change":"compensation"}"""));
    }

    [Fact]
    public void Fold_FullRecordAfterPatch_Replaces()
    {
        var records = new[]
        {
            Record("2025-11-06T10:00:00Z", """{"a":1,"b":1}"""),
            Record("2025-11-06T10:00:01Z", """{"a":2}"""),
        };
        var doc = HistoryFold.Fold(records).Document!;
        Assert.False(doc.ContainsKey("b"));
        Assert.True(JsonNode.DeepEquals(JsonValue.Create(2), doc["a"]));
    }
}
