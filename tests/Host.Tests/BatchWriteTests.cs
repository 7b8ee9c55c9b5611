using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace EccoStudio.Host.Tests;

/// <summary><c>POST /api/{env}/{entity}:batch</c> over HTTP against the local host.</summary>
public sealed class BatchWriteTests(DevHostFixture fixture) : IClassFixture<DevHostFixture>
{
    private static JsonObject Item(string id, string status = "Idea") => new()
    {
        ["id"] = id,
        ["document"] = JsonNode.Parse($$$"""{"schema_version":"1.0.0","lead":"Ann","status":"{{{status}}}","milestones":[],"budget":{"plannedUSD":1,"spentUSD":0},"kpis":{"MRR":0,"userCount":0,"churnRate":0}}"""),
    };

    private async Task<HttpResponseMessage> PostAsync(string body, string mediaType = "application/json", string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/dev/ventures:batch", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, mediaType),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await fixture.Http.SendAsync(request);
    }

    private async Task<JsonArray> BatchInstancesAsync() =>
        JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri("runtime/webhooks/durabletask/instances?instanceIdPrefix=batch:&top=1000", UriKind.Relative)))!.AsArray();

    [Fact]
    public async Task Post_500ItemsWith3Invalid_RefusedWholeWithTheirIndicesAndNothingScheduled()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var items = new JsonArray();
        for (var i = 0; i < 500; i++)
        {
            items.Add(Item($"V-BB-{run}-{i}"));
        }

        items[17]!["document"]!["budget"]!["plannedUSD"] = "lots";   // schema violation
        items[250]!["id"] = "bad/id";                                 // invalid identifier
        items[499] = new JsonObject { ["id"] = $"V-BB-{run}-499" };     // neither document nor patch
        var before = await fixture.BucketFingerprintAsync();
        var batchesBefore = (await BatchInstancesAsync()).Count;

        using var response = await PostAsync(items.ToJsonString());

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, response.StatusCode.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var bad = problem["items"]!.AsArray();
        Assert.Equal(new[] { 17, 250, 499 }, bad.Select(b => b!["index"]!.GetValue<int>()));
        Assert.Contains("/budget/plannedUSD", bad[0]!["errors"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(before, await fixture.BucketFingerprintAsync());
        Assert.Equal(batchesBefore, (await BatchInstancesAsync()).Count);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/x-ndjson")]
    public async Task Post_OneItemOverTheLimit_Refused400BatchTooLargeAndNothingScheduled(string mediaType)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        // The default limit (Ecco:Api:MaxBatchItems, docs/api.md "Batch"): one more valid item than it allows.
        var items = Enumerable.Range(0, new EccoStudio.Api.Configuration.EccoApiOptions().MaxBatchItems + 1).Select(i => Item($"V-BL-{run}-{i}")).ToList();
        var body = mediaType == "application/json"
            ? new JsonArray([.. items]).ToJsonString()
            : string.Join('\n', items.Select(i => i.ToJsonString()));
        var before = await fixture.BucketFingerprintAsync();
        var batchesBefore = (await BatchInstancesAsync()).Count;

        using var response = await PostAsync(body, mediaType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("batch-too-large", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await fixture.BucketFingerprintAsync());
        Assert.Equal(batchesBefore, (await BatchInstancesAsync()).Count);
    }

    [Fact]
    public async Task Post_Valid500Items_CompletesWithPerItemResults()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var items = new JsonArray();
        for (var i = 0; i < 500; i++)
        {
            items.Add(Item($"V-BV-{run}-{i}", i % 2 == 0 ? "Idea" : "Pilot"));
        }

        using var response = await PostAsync(items.ToJsonString());
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        Assert.NotNull(response.Headers.RetryAfter);
        var status = await fixture.WaitForCompletionAsync(response.Headers.Location!, TimeSpan.FromMinutes(5));
        Assert.True(status["runtimeStatus"]!.GetValue<string>() == "Completed", status.ToJsonString());
        Assert.Equal("BatchWriteOrchestrator", status["name"]!.GetValue<string>());

        var output = status["output"]!;
        Assert.Equal(500, output["Succeeded"]!.GetValue<int>());
        Assert.Equal(0, output["Failed"]!.GetValue<int>());
        var results = output["Items"]!.AsArray();
        Assert.Equal(Enumerable.Range(0, 500), results.Select(r => r!["Index"]!.GetValue<int>()));
        Assert.All(results, r => Assert.True(r!["Succeeded"]!.GetValue<bool>()));
        Assert.All(results, r => Assert.Contains($"/ventures/V-BV-{run}-{r!["Index"]!.GetValue<int>()}/history/", r["HistoryObject"]!.GetValue<string>(), StringComparison.Ordinal));

        var last = JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri($"api/dev/ventures/V-BV-{run}-499", UriKind.Relative)))!;
        Assert.Equal("Pilot", last["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_NdJsonWithIdempotencyKey_RunsOnceAndReplaysTheSameInstance()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var lines = string.Join('\n', Enumerable.Range(0, 3).Select(i => Item($"V-BN-{run}-{i}").ToJsonString())) + "\n";
        var ids = new List<string>();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var response = await PostAsync(lines, "application/x-ndjson", key: "batch-" + run);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
            ids.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
            var status = await fixture.WaitForCompletionAsync(response.Headers.Location!);
            Assert.Equal("Completed", status["runtimeStatus"]!.GetValue<string>());
        }

        Assert.Single(ids.Distinct());
        var history = JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri($"api/dev/ventures/V-BN-{run}-1/history", UriKind.Relative)))!;
        Assert.Single(history["items"]!.AsArray());
    }

    [Theory]
    [InlineData("{}", "application/json")]
    [InlineData("[]", "application/json")]
    [InlineData("[1, 2]", "application/json")]
    [InlineData("[{\"id\":\"V1\",\"document\":{},\"patch\":{}}]", "application/json")]
    [InlineData("{not json\n", "application/x-ndjson")]
    [InlineData("[]", "text/plain")]
    public async Task Post_MalformedBatch_Is4xxProblemAndSchedulesNothing(string body, string mediaType)
    {
        var batchesBefore = (await BatchInstancesAsync()).Count;
        using var response = await PostAsync(body, mediaType);
        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(batchesBefore, (await BatchInstancesAsync()).Count);
    }
}
