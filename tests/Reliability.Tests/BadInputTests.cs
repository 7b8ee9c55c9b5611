using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Reliability.Tests.Support;

namespace EccoStudio.Reliability.Tests;

/// <summary>
/// Issue 7 item 6, HTTP and bridge halves: every case answers as expected with an RFC 9457 problem document whose
/// detail says what is wrong, the bucket (all object versions) is unchanged, and the host is still healthy.
/// </summary>
public sealed class BadInputTests(CorpusHostFixture fixture) : IClassFixture<CorpusHostFixture>
{
    public static TheoryData<string> HttpCases() => [.. HttpCorpus.All.Keys];

    public static TheoryData<string> BridgeCases() => [.. BridgeCorpus.All.Keys];

    [Fact]
    public void Corpus_Size_AtLeastOneHundredCasesAcrossHttpBridgeAndCli() =>
        Assert.True(HttpCorpus.All.Count + BridgeCorpus.All.Count + CliCorpusTests.Cases().Count >= 100,
            $"{HttpCorpus.All.Count} HTTP + {BridgeCorpus.All.Count} bridge + {CliCorpusTests.Cases().Count} CLI");

    [Theory]
    [MemberData(nameof(HttpCases))]
    public async Task Http_BadInput_FourXxProblemNothingWrittenStillHealthy(string name)
    {
        var badCase = HttpCorpus.All[name];

        var (status, problem) = await SendAndCheckAsync(badCase);

        Assert.InRange(status, 400, 499);
        if (badCase.RejectedByServer)
        {
            Assert.Equal(400, status);
            return;
        }

        AssertProblem(status, problem, name);
    }

    [Theory]
    [MemberData(nameof(BridgeCases))]
    public async Task Bridge_BadPush_RefusedOrIgnoredNothingWrittenStillHealthy(string name)
    {
        var (badCase, expected) = BridgeCorpus.All[name];

        var (status, problem) = await SendAndCheckAsync(badCase);

        Assert.Equal(expected, status);
        if (expected >= 400)
        {
            AssertProblem(status, problem, name);
        }
    }

    private async Task<(int Status, string Body)> SendAndCheckAsync(BadInputCase badCase)
    {
        var host = fixture.Host;
        var before = await host.BucketFingerprintAsync();
        using var request = new HttpRequestMessage(new HttpMethod(badCase.Method), new Uri(badCase.Path.Replace("{bucket}", host.Bucket, StringComparison.Ordinal), UriKind.Relative));
        if (badCase.Body is not null)
        {
            var text = Encoding.UTF8.GetString(badCase.Body).Replace("{bucket}", host.Bucket, StringComparison.Ordinal);
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
            if (badCase.ContentType is not null)
            {
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(badCase.ContentType);
            }
        }

        using var response = await host.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        if (status == 202)
        {
            // A case that was wrongly accepted would write: let it finish so the bucket comparison shows it.
            await Instances.WaitAllAsync(host.Client, [JsonNode.Parse(body)!["id"]!.GetValue<string>()], TimeSpan.FromSeconds(30));
        }

        Assert.Equal(before, await host.BucketFingerprintAsync());
        using var health = await host.Http.GetAsync(new Uri("api/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        return (status, body);
    }

    private static void AssertProblem(int status, string body, string name)
    {
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        var detail = problem["detail"]?.GetValue<string>();
        Assert.False(string.IsNullOrWhiteSpace(detail), $"{name}: no detail in {body}");
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()), $"{name}: no title in {body}");
        Assert.DoesNotContain("   at ", detail, StringComparison.Ordinal); // no stack traces
    }
}
