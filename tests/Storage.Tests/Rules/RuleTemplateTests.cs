using EccoStudio.Storage.Json;
using EccoStudio.Storage.Rules;

namespace EccoStudio.Storage.Tests.Rules;

public class RuleTemplateTests
{
    private static readonly System.Text.Json.Nodes.JsonObject Snapshot =
        JsonText.ParseObject("""{"id":"V1","lead":"Bob","kpis":{"MRR":12000},"notes":"x"}""");

    [Theory]
    [InlineData("{{/id}} led by {{/lead}}", "V1 led by Bob")]
    [InlineData("MRR {{/kpis/MRR}} {{/kpis}}", """MRR 12000 {"MRR":12000}""")]
    [InlineData("{{/missing}}!", "!")]
    [InlineData("{{id}} stays literal", "{{id}} stays literal")]
    [InlineData("{{ {{/id}}", "{{ V1")]
    [InlineData("{{/id", "{{/id")]
    [InlineData("}}{{/id}}}}", "}}V1}}")]
    [InlineData("{{}}", "")] // a stored rule from before the check: never the whole document
    public void Render_Placeholders(string template, string expected) =>
        Assert.Equal(expected, RuleTemplate.Parse(template).Render(Snapshot));

    [Fact]
    public void Parse_AdversarialUnclosedOpenings_AllLiteral()
    {
        // The old regex rescanned to the end from every "{{": quadratic on this shape (900 KB cost seconds per write).
        var template = string.Concat(Enumerable.Repeat("{{/a", 250_000));
        var parsed = RuleTemplate.Parse(template);
        Assert.Equal(0, parsed.Placeholders);
        Assert.Equal(RuleTemplate.MaxRenderedLength, parsed.Render(Snapshot).Length);
    }

    [Fact]
    public void Parse_ManyOpeningsBeforeOneClosing_OnePlaceholder()
    {
        var template = string.Concat(Enumerable.Repeat("{{x", 100_000)) + "{{/id}}";
        var parsed = RuleTemplate.Parse(template);
        Assert.Equal(1, parsed.Placeholders);
        Assert.EndsWith("…", parsed.Render(Snapshot), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ManyPlaceholders_CutAtTheRenderedLimit()
    {
        var rendered = RuleTemplate.Parse(string.Concat(Enumerable.Repeat("{{/kpis}}", 5000))).Render(Snapshot);
        Assert.Equal(RuleTemplate.MaxRenderedLength, rendered.Length);
        Assert.EndsWith("…", rendered, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{}}", "(the whole document)")]
    [InlineData("a {{}} b", "(the whole document)")]
    [InlineData("{{/a~2}}", "invalid JSON pointer")]
    public void Check_BadPlaceholder_Refused(string template, string expected) =>
        Assert.Contains(expected, RuleTemplate.Check(template, "template"), StringComparison.Ordinal);

    [Fact]
    public void Check_Limits()
    {
        Assert.Null(RuleTemplate.Check(string.Concat(Enumerable.Repeat("{{/id}}", RuleTemplate.MaxPlaceholders)), "template"));
        Assert.Contains("placeholders", RuleTemplate.Check(string.Concat(Enumerable.Repeat("{{/id}}", RuleTemplate.MaxPlaceholders + 1)), "template"),
            StringComparison.Ordinal);
        Assert.Contains("longer than", RuleTemplate.Check(new string('a', RuleTemplate.MaxLength + 1), "template"), StringComparison.Ordinal);
    }
}
