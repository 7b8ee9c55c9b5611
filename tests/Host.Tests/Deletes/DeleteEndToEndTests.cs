using System.Net;
using System.Text.Json.Nodes;

namespace EccoStudio.Host.Tests.Deletes;

/// <summary>DELETE /api/{env}/{entity}/{id} on the local host over HTTP (issue 13 item 3).</summary>
public sealed class DeleteEndToEndTests(DevHostFixture fixture) : IClassFixture<DevHostFixture>
{
    private static string Venture(string id, string status) =>
        $$$"""{"schema_version":"1.0.0","lead":"Bob","status":"{{{status}}}","milestones":[],"budget":{"plannedUSD":1,"spentUSD":0},"kpis":{"MRR":1,"userCount":1,"churnRate":0.1}}""";

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : DevHostFixture.Json(body) };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await fixture.Http.SendAsync(request);
    }

    private async Task<JsonObject> CompleteAsync(HttpResponseMessage accepted)
    {
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        return await fixture.WaitForCompletionAsync(accepted.Headers.Location!);
    }

    [Fact]
    public async Task Delete_ExistingVenture_202ThenReads404HistoryAndAsOfKeepItAndPutStartsNewLife()
    {
        Assert.Equal("Completed", (await CompleteAsync(await SendAsync(HttpMethod.Put, "api/dev/ventures/VD-1", Venture("VD-1", "Pilot"))))["runtimeStatus"]!.GetValue<string>());
        var beforeDelete = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        await Task.Delay(10);

        using var accepted = await SendAsync(HttpMethod.Delete, "api/dev/ventures/VD-1");
        var payload = JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!.AsObject();
        Assert.StartsWith("write:dev:ventures:VD-1:d", payload["id"]!.GetValue<string>(), StringComparison.Ordinal);
        var status = await CompleteAsync(accepted);

        Assert.Equal("Completed", status["runtimeStatus"]!.GetValue<string>());
        using var read = await SendAsync(HttpMethod.Get, "api/dev/ventures/VD-1");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal("application/problem+json", read.Content.Headers.ContentType!.MediaType);
        using var listed = await SendAsync(HttpMethod.Get, "api/dev/ventures?index=by-status&key=Pilot");
        Assert.DoesNotContain("VD-1", await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var history = await SendAsync(HttpMethod.Get, "api/dev/ventures/VD-1/history");
        var items = JsonNode.Parse(await history.Content.ReadAsStringAsync())!["items"]!.AsArray();
        Assert.Equal(["delete", "full"], items.Select(i => i!["change"]!.GetValue<string>()));
        using var asOf = await SendAsync(HttpMethod.Get, $"api/dev/ventures/VD-1?asOf={beforeDelete}");
        Assert.Equal(HttpStatusCode.OK, asOf.StatusCode);

        Assert.Equal("Completed", (await CompleteAsync(await SendAsync(HttpMethod.Put, "api/dev/ventures/VD-1", Venture("VD-1", "Build"))))["runtimeStatus"]!.GetValue<string>());
        using var again = await SendAsync(HttpMethod.Get, "api/dev/ventures/VD-1");
        Assert.Equal("Build", JsonNode.Parse(await again.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_IfMatch_CurrentETagAcceptedStaleRefused412()
    {
        await CompleteAsync(await SendAsync(HttpMethod.Put, "api/dev/ventures/VD-2", Venture("VD-2", "Pilot")));
        using var read = await SendAsync(HttpMethod.Get, "api/dev/ventures/VD-2");
        var etag = read.Headers.ETag!.Tag;

        using var stale = await SendAsync(HttpMethod.Delete, "api/dev/ventures/VD-2", null, ("If-Match", "\"1\""));
        using var malformed = await SendAsync(HttpMethod.Delete, "api/dev/ventures/VD-2", null, ("If-Match", "V1"));

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Contains("precondition-failed", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "api/dev/ventures/VD-2")).StatusCode);

        var done = await CompleteAsync(await SendAsync(HttpMethod.Delete, "api/dev/ventures/VD-2", null, ("If-Match", etag)));
        Assert.Equal("Completed", done["runtimeStatus"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "api/dev/ventures/VD-2")).StatusCode);
    }

    [Theory]
    [InlineData("api/dev/ventures/VD-NEVER", HttpStatusCode.NotFound, "not-found")]
    [InlineData("api/dev/unicorns/VD-1", HttpStatusCode.NotFound, "unknown-entity")]
    [InlineData("api/qa/ventures/VD-1", HttpStatusCode.NotFound, "unknown-environment")]
    [InlineData("api/dev/ventures/VD%23x", HttpStatusCode.BadRequest, "invalid-identifier")]
    public async Task Delete_BadTarget_ProblemDocumentAndNothingWritten(string path, HttpStatusCode expected, string slug)
    {
        var before = await fixture.BucketFingerprintAsync();

        using var response = await SendAsync(HttpMethod.Delete, path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith(slug, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await fixture.BucketFingerprintAsync());
    }
}
