using System.Net;
using EccoStudio.Reliability.Tests.Support;

namespace EccoStudio.Reliability.Tests;

/// <summary>
/// Issue 16, SSRF through rules: a rule naming a URL (loopback, private, link-local metadata, plain http, gopher) or an
/// unknown/refused webhook is refused when written (422, problem document, nothing stored); a rule naming a configured
/// destination is accepted.
/// </summary>
public sealed class OutboundAlertTests
{
    private static string Rule(string action) => $$"""
        {"schema_version":"1.0.0","name":"r","target_entity":"talent","enabled":true,"condition":{"pointer":"/id","op":"exists"},"action":{{action}}}
        """;

    [Fact]
    public async Task PutRule_UrlsAndUnsafeWebhooks_Refused422NothingWritten_NamedWebhookAccepted()
    {
        await using var host = await LocalHost.StartAsync(configuration: new Dictionary<string, string?>
        {
            ["Ecco:Alerts:Webhooks:slack-ops"] = "https://hooks.slack.com/services/T000/B000/XXXXXXXX",
            ["Ecco:Alerts:Webhooks:metadata"] = "https://169.254.169.254/latest/meta-data/",
            ["Ecco:Alerts:Webhooks:plain"] = "http://hooks.slack.com/services/T/B/X",
        });
        var before = await host.BucketFingerprintAsync();
        var refused = new[]
        {
            """{"type":"slack","url":"http://127.0.0.1:7071/api/dev/talent/T1","template":"{{/name}}"}""",
            """{"type":"slack","url":"http://169.254.169.254/latest/meta-data/","template":"x"}""",
            """{"type":"slack","url":"gopher://127.0.0.1:6379/_FLUSHALL","template":"x"}""",
            """{"type":"slack","webhook":"slack-ops","url":"https://hooks.slack.com/services/T/B/X","template":"x"}""",
            """{"type":"slack","webhook":"metadata","template":"x"}""",
            """{"type":"slack","webhook":"plain","template":"x"}""",
            """{"type":"slack","webhook":"not-configured","template":"x"}""",
            """{"type":"slack","webhook":"slack-ops","template":"{{}}"}""",
            $$"""{"type":"slack","webhook":"slack-ops","template":"{{string.Concat(Enumerable.Repeat("{{/id}}", 33))}}"}""",
            $$"""{"type":"slack","webhook":"slack-ops","template":"{{new string('a', 5000)}}"}""",
        };
        for (var i = 0; i < refused.Length; i++)
        {
            using var response = await host.Http.PutAsync(new Uri($"api/dev/rules/R-BAD-{i}", UriKind.Relative), LocalHost.Json(Rule(refused[i])));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"case {i}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("169.254", body, StringComparison.Ordinal);
        }

        Assert.Equal(before, await host.BucketFingerprintAsync());

        using var ok = await host.Http.PutAsync(new Uri("api/dev/rules/R-OK", UriKind.Relative),
            LocalHost.Json(Rule("""{"type":"slack","webhook":"slack-ops","template":"{{/id}} changed"}""")));
        Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        var id = Uri.UnescapeDataString(ok.Headers.Location!.Segments[^1]);
        var done = (await Instances.WaitAllAsync(host.Client, [id], TimeSpan.FromMinutes(1)))[id];
        Assert.Equal(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Completed, done?.RuntimeStatus);
    }
}
