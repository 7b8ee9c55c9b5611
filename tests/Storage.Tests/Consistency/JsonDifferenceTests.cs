using System.Text.Json.Nodes;
using EccoStudio.Storage.Consistency;

namespace EccoStudio.Storage.Tests.Consistency;

public class JsonDifferenceTests
{
    [Theory]
    [InlineData("""{"a":1}""", """{"a":1}""", null)]
    [InlineData("""{"a":{"b":[1,2]}}""", """{"a":{"b":[1,3]}}""", "/a/b/1")]
    [InlineData("""{"a":1}""", """{"a":1,"c":2}""", "/c")]
    [InlineData("""{"a/b":1}""", """{"a/b":2}""", "/a~1b")]
    [InlineData("""{"a":[1]}""", """{"a":[1,2]}""", "/a/1")]
    [InlineData("""{"a":"x"}""", """{"a":{"x":1}}""", "/a")]
    public void FirstPointer_TwoDocuments_NamesFirstDifference(string expected, string actual, string? firstDifference) =>
        Assert.Equal(firstDifference, JsonDifference.FirstPointer(JsonNode.Parse(expected), JsonNode.Parse(actual)));
}
