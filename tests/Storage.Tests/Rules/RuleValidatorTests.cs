using EccoStudio.Storage.Json;
using EccoStudio.Storage.Rules;

namespace EccoStudio.Storage.Tests.Rules;

public class RuleValidatorTests
{
    private static readonly WebhookCatalog Webhooks = new(new WebhookOptions
    {
        Webhooks = { ["slack-ops"] = "https://hooks.slack.com/services/T000/B000/XXXX", ["metadata"] = "https://169.254.169.254/latest" },
    });

    private static System.Text.Json.Nodes.JsonObject Rule(string action) => JsonText.ParseObject($$"""
        {"id":"R1","entity":"rule","env":"dev","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z","updated_at":"2025-11-01T00:00:00Z",
         "target_entity":"venture","condition":{"pointer":"/status","op":"exists"},"action":{{action}}}
        """);

    [Fact]
    public void EnsureValid_NamedAllowedWebhook_Passes() =>
        RuleValidator.EnsureValid(Rule("""{"type":"slack","webhook":"slack-ops","template":"{{/id}} moved"}"""), Webhooks);

    [Theory]
    [InlineData("""{"type":"slack","url":"http://127.0.0.1:7071/x","webhook":"slack-ops","template":"t"}""", "'action.url' is not accepted")]
    [InlineData("""{"type":"slack","webhook":"nope","template":"t"}""", "'nope' is not configured")]
    [InlineData("""{"type":"slack","webhook":"metadata","template":"t"}""", "configured but refused")]
    [InlineData("""{"type":"slack","template":"t"}""", "'webhook' must name")]
    [InlineData("""{"type":"slack","webhook":"slack-ops","template":"{{}}"}""", "whole document")]
    [InlineData("""{"type":"email","webhook":"slack-ops","template":"t","subject":"{{}}"}""", "'subject' contains")]
    public void EnsureValid_BadAction_RefusedWithReason(string action, string expected)
    {
        var e = Assert.Throws<RuleFormatException>(() => RuleValidator.EnsureValid(Rule(action), Webhooks));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("169.254", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hooks.slack.com/services", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureValid_TooManyPlaceholders_Refused()
    {
        var template = string.Concat(Enumerable.Repeat("{{/id}}", RuleTemplate.MaxPlaceholders + 1));
        Assert.Throws<RuleFormatException>(() => RuleValidator.EnsureValid(Rule($$"""{"type":"slack","webhook":"slack-ops","template":"{{template}}"}"""), Webhooks));
    }
}
