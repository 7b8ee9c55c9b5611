using System.Net;
using System.Text.Json.Nodes;

namespace EccoStudio.Host.Tests;

/// <summary>If-Match / If-None-Match on writes and HEAD on reads, over HTTP against the local host.</summary>
public sealed class ConditionalRequestTests(DevHostFixture fixture) : IClassFixture<DevHostFixture>
{
    private const string Venture =
        """{"schema_version":"1.0.0","lead":"Ann","status":"Idea","milestones":[],"budget":{"plannedUSD":1,"spentUSD":0},"kpis":{"MRR":0,"userCount":0,"churnRate":0}}""";

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, string mediaType = "application/json",
        params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = DevHostFixture.Json(body, mediaType);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await fixture.Http.SendAsync(request);
    }

    private async Task<string> WriteAsync(string path, string body, params (string Name, string Value)[] headers)
    {
        using var response = await SendAsync(HttpMethod.Put, path, body, headers: headers);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var status = await fixture.WaitForCompletionAsync(response.Headers.Location!);
        Assert.True(status["runtimeStatus"]!.GetValue<string>() == "Completed", status.ToJsonString());
        using var read = await SendAsync(HttpMethod.Get, path);
        return read.Headers.ETag!.Tag;
    }

    [Fact]
    public async Task Put_StaleIfMatch_Returns412AndWritesNothing()
    {
        var path = $"api/dev/ventures/{NewId("V-IFM")}";
        var stale = await WriteAsync(path, Venture);
        var current = await WriteAsync(path, Venture.Replace("\"Idea\"", "\"Pilot\"", StringComparison.Ordinal));
        Assert.NotEqual(stale, current);
        var before = await fixture.BucketFingerprintAsync();

        using var put = await SendAsync(HttpMethod.Put, path, Venture.Replace("\"Idea\"", "\"Scale\"", StringComparison.Ordinal), headers: ("If-Match", stale));
        Assert.Equal(HttpStatusCode.PreconditionFailed, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType!.MediaType);
        Assert.Contains(current, JsonNode.Parse(await put.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        using var patch = await SendAsync(HttpMethod.Patch, path, """{"status":"Scale"}""", "application/merge-patch+json", ("If-Match", stale));
        Assert.Equal(HttpStatusCode.PreconditionFailed, patch.StatusCode);

        Assert.Equal(before, await fixture.BucketFingerprintAsync());
        var now = JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri(path, UriKind.Relative)))!;
        Assert.Equal("Pilot", now["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Put_CurrentIfMatch_IsAcceptedAndApplied()
    {
        var path = $"api/dev/ventures/{NewId("V-IFM-OK")}";
        var etag = await WriteAsync(path, Venture);
        var next = await WriteAsync(path, Venture.Replace("\"Idea\"", "\"Pilot\"", StringComparison.Ordinal), ("If-Match", etag));
        Assert.NotEqual(etag, next);
        using var patch = await SendAsync(HttpMethod.Patch, path, """{"status":"Scale"}""", "application/merge-patch+json", ("If-Match", next));
        Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        var status = await fixture.WaitForCompletionAsync(patch.Headers.Location!);
        Assert.Equal("Completed", status["runtimeStatus"]!.GetValue<string>());
        Assert.Equal("Scale", JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri(path, UriKind.Relative)))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Put_IfNoneMatchStarOnExistingId_Returns412()
    {
        var path = $"api/dev/ventures/{NewId("V-INM")}";
        await WriteAsync(path, Venture);
        var before = await fixture.BucketFingerprintAsync();
        using var put = await SendAsync(HttpMethod.Put, path, Venture, headers: ("If-None-Match", "*"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, put.StatusCode);
        Assert.Equal(before, await fixture.BucketFingerprintAsync());
    }

    [Fact]
    public async Task Put_IfNoneMatchStarOnNewId_Creates()
    {
        var path = $"api/dev/ventures/{NewId("V-INM-NEW")}";
        Assert.NotEmpty(await WriteAsync(path, Venture, ("If-None-Match", "*")));
    }

    [Fact]
    public async Task Put_IfMatchOnMissingEntity_Returns412()
    {
        using var star = await SendAsync(HttpMethod.Put, $"api/dev/ventures/{NewId("V-MISSING")}", Venture, headers: ("If-Match", "*"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, star.StatusCode);
        using var tag = await SendAsync(HttpMethod.Put, $"api/dev/ventures/{NewId("V-MISSING")}", Venture, headers: ("If-Match", "\"1\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, tag.StatusCode);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("\"1")]
    [InlineData("*, \"1\"")]
    [InlineData("")]
    public async Task Put_MalformedIfMatch_Returns400Problem(string value)
    {
        using var put = await SendAsync(HttpMethod.Put, $"api/dev/ventures/{NewId("V-BAD")}", Venture, headers: ("If-Match", value));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Head_EveryGetRoute_EqualsGetWithoutBody()
    {
        var id = NewId("V-HEAD");
        await WriteAsync($"api/dev/ventures/{id}", Venture);
        string[] paths =
        [
            $"api/dev/ventures/{id}",
            $"api/dev/ventures/{id}/history",
            "api/dev/ventures",
            "api/dev/ventures?index=by-status&key=Idea",
            $"api/dev/ventures/{id}?asOf=2000-01-01T00:00:00Z",
            "api/dev/ventures/NOPE-404",
            "api/health",
            "runtime/webhooks/durabletask/instances?top=2",
            $"runtime/webhooks/durabletask/instances/{Uri.EscapeDataString("no-such-instance")}",
            "ops/",
            "ops/app.js",
            "ops/no-such-asset.css",
            "api/ops/catalog",
        ];
        foreach (var path in paths)
        {
            using var get = await SendAsync(HttpMethod.Get, path);
            using var head = await SendAsync(HttpMethod.Head, path);
            Assert.Equal(get.StatusCode, head.StatusCode);
            var getBody = await get.Content.ReadAsByteArrayAsync();
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
            Assert.Equal(get.Content.Headers.ContentType?.ToString(), head.Content.Headers.ContentType?.ToString());
            Assert.Equal(getBody.Length, head.Content.Headers.ContentLength);
            Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        }
    }
}
