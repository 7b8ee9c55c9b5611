using EccoStudio.Storage.Redaction;

namespace EccoStudio.Storage.Tests.Redaction;

public class RedactorTests
{
    [Theory]
    [InlineData("POST https://hooks.slack.com/services/T0/B0/SECRET failed", "POST https://hooks.slack.com/… failed")]
    [InlineData("GET http://127.0.0.1:7071/api/dev/ventures/V1?code=KEY123", "GET http://127.0.0.1:7071/…")]
    [InlineData("to https://user:pw@host.example/x", "to https://host.example/…")]
    [InlineData("see https://example.com", "see https://example.com")]
    [InlineData("(\"https://a.example/p?q=1\")", "(\"https://a.example/…\")")]
    [InlineData("line1\r\nline2\u2028x", "line1  line2 x")]
    [InlineData("no url here", "no url here")]
    public void Text_RedactsUrlsAndLineBreaks(string input, string expected) => Assert.Equal(expected, Redactor.Text(input));

    [Fact]
    public void Url_KeepsSchemeHostAndPortOnly() =>
        Assert.Equal("https://hooks.slack.com:8443/…", Redactor.Url(new Uri("https://hooks.slack.com:8443/services/T/B/X?token=1")));
}
