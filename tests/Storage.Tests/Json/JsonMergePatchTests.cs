using System.Text.Json.Nodes;
using EccoStudio.Storage.Json;

namespace EccoStudio.Storage.Tests.Json;

public class JsonMergePatchTests
{
    // RFC 7396 appendix A test cases.
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""["a","b"]""", """["c","d"]""", """["c","d"]""")]
    [InlineData("""{"a":"b"}""", """["c"]""", """["c"]""")]
    [InlineData("""{"a":"foo"}""", "null", "null")]
    [InlineData("""{"a":"foo"}""", "\"bar\"", "\"bar\"")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void Apply_Rfc7396Examples_GiveExpectedResult(string target, string patch, string expected)
    {
        var result = JsonMergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), $"got {result?.ToJsonString()}");
    }

    [Fact]
    public void Apply_DoesNotModifyInputs()
    {
        var target = JsonNode.Parse("""{"a":{"b":1}}""")!;
        var patch = JsonNode.Parse("""{"a":{"b":2}}""")!;
        _ = JsonMergePatch.Apply(target, patch);
        Assert.Equal("""{"a":{"b":1}}""", target.ToJsonString());
    }

    [Fact]
    public void Diff_ThenApply_RoundTrips()
    {
        var from = JsonText.ParseObject("""{"a":1,"b":{"c":2,"d":3},"e":[1]}""");
        var to = JsonText.ParseObject("""{"a":1,"b":{"c":5},"e":[2],"f":"x"}""");
        var patch = JsonMergePatch.Diff(from, to);
        Assert.False(patch.ContainsKey("a"));
        Assert.True(JsonNode.DeepEquals(to, JsonMergePatch.Apply(from, patch)));
    }
}
