using System.Text.Json.Nodes;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Rules;

namespace EccoStudio.Storage.Tests.Rules;

public class RuleEvaluatorTests
{
    private static JsonObject Rule(string condition, string updatedAt = "2025-11-01T00:00:00Z", string type = "slack") =>
        JsonText.ParseObject($$$"""
            {"id":"RULE-1","entity":"rule","env":"prod","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z","updated_at":"{{{updatedAt}}}",
             "target_entity":"venture","condition":{{{condition}}},
             "action":{"type":"{{{type}}}","webhook":"ops-hook","template":"{{/id}} churn {{/kpis/churnRate}} lead {{/lead}}","to":["ops@ecco.studio"]}}
            """);

    [Theory]
    [InlineData("""{"pointer":"/kpis/churnRate","op":"gt","value":0.01}""", true)]
    [InlineData("""{"pointer":"/kpis/churnRate","op":"gte","value":0.02}""", true)]
    [InlineData("""{"pointer":"/kpis/churnRate","op":"lt","value":0.02}""", false)]
    [InlineData("""{"pointer":"/kpis/churnRate","op":"lte","value":0.02}""", true)]
    [InlineData("""{"pointer":"/status","op":"eq","value":"Pilot"}""", true)]
    [InlineData("""{"pointer":"/status","op":"ne","value":"Pilot"}""", false)]
    [InlineData("""{"pointer":"/status","op":"in","value":["Build","Pilot"]}""", true)]
    [InlineData("""{"pointer":"/risks","op":"exists"}""", false)]
    [InlineData("""{"pointer":"/lead","op":"contains","value":"ob"}""", true)]
    [InlineData("""{"all":[{"pointer":"/status","op":"eq","value":"Pilot"},{"pointer":"/budget/spentUSD","op":"gt","value":40000}]}""", true)]
    [InlineData("""{"any":[{"pointer":"/status","op":"eq","value":"Stopped"},{"pointer":"/kpis/MRR","op":"lt","value":1000}]}""", false)]
    [InlineData("""{"not":{"pointer":"/status","op":"eq","value":"Pilot"}}""", false)]
    [InlineData("""{"pointer":"/status","op":"gt","value":5}""", false)]
    public void Evaluate_Conditions_OverVentureExample(string condition, bool fires)
    {
        var alerts = RuleEvaluator.Evaluate(TestData.Example("venture.snapshot.json"), [Rule(condition)]);
        Assert.Equal(fires ? 1 : 0, alerts.Count);
    }

    [Fact]
    public void Evaluate_Fires_RendersTemplateAndStableDedupeKey()
    {
        var snapshot = TestData.Example("venture.snapshot.json");
        var rule = Rule("""{"pointer":"/kpis/churnRate","op":"gt","value":0.01}""");
        var alert = Assert.Single(RuleEvaluator.Evaluate(snapshot, [rule]));
        Assert.Equal("V001 churn 0.02 lead Bob", alert.Message);
        Assert.Equal("V001 churn 0.02 lead Bob", alert.Payload["text"]!.GetValue<string>());
        Assert.Equal(alert.DedupeKey, RuleEvaluator.Evaluate(snapshot, [rule]).Single().DedupeKey);
        Assert.Equal(64, alert.DedupeKey.Length);

        var newerSnapshot = JsonText.Clone(snapshot);
        newerSnapshot["updated_at"] = "2025-11-07T00:00:00Z";
        Assert.NotEqual(alert.DedupeKey, RuleEvaluator.Evaluate(newerSnapshot, [rule]).Single().DedupeKey);
        var editedRule = Rule("""{"pointer":"/kpis/churnRate","op":"gt","value":0.01}""", updatedAt: "2025-11-02T00:00:00Z");
        Assert.NotEqual(alert.DedupeKey, RuleEvaluator.Evaluate(snapshot, [editedRule]).Single().DedupeKey);
    }

    [Fact]
    public void Evaluate_EmailAction_HasRecipientsAndSubject()
    {
        var alert = Assert.Single(RuleEvaluator.Evaluate(TestData.Example("venture.snapshot.json"), [Rule("""{"pointer":"/status","op":"exists"}""", type: "email")]));
        Assert.Equal("ops@ecco.studio", alert.Payload["to"]![0]!.GetValue<string>());
        Assert.Equal("Alert: RULE-1", alert.Payload["subject"]!.GetValue<string>());
    }

    [Fact]
    public void Evaluate_OtherEntityOrDisabled_DoesNotFire()
    {
        var rule = Rule("""{"pointer":"/status","op":"exists"}""");
        rule["enabled"] = false;
        Assert.Empty(RuleEvaluator.Evaluate(TestData.Example("venture.snapshot.json"), [rule]));
        Assert.Empty(RuleEvaluator.Evaluate(TestData.Example("cap_table.snapshot.json"), [Rule("""{"pointer":"/id","op":"exists"}""")]));
    }

    [Fact]
    public void Evaluate_UnknownOp_ThrowsWithRuleId() =>
        Assert.Equal("RULE-1", Assert.Throws<RuleFormatException>(() =>
            RuleEvaluator.Evaluate(TestData.Example("venture.snapshot.json"), [Rule("""{"pointer":"/status","op":"regex","value":".*"}""")])).RuleId);
}
