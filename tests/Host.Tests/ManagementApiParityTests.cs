using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Host.Tests;

/// <summary>
/// The management API answers as the Durable extension documents it (defaults, status codes, headers), and the
/// official npm durable-functions client (Conformance/durable-client.js) works against it.
/// </summary>
public sealed class ManagementApiParityTests(DevHostFixture fixture) : IClassFixture<DevHostFixture>
{
    private const string Root = "runtime/webhooks/durabletask/instances";
    private const string Venture = """{"schema_version":"1.0.0","lead":"Ann","status":"Idea","milestones":[],"budget":{"plannedUSD":1,"spentUSD":0},"kpis":{"MRR":0,"userCount":0,"churnRate":0}}""";

    private DurableTaskClient Client => fixture.Host.Services.GetRequiredService<DurableTaskClient>();

    private async Task<string> CompletedWriteAsync(string id)
    {
        using var put = await fixture.Http.PutAsync(new Uri($"api/dev/ventures/{id}", UriKind.Relative), DevHostFixture.Json(Venture));
        Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
        var status = await fixture.WaitForCompletionAsync(put.Headers.Location!);
        Assert.Equal("Completed", status["runtimeStatus"]!.GetValue<string>());
        return status["instanceId"]!.GetValue<string>();
    }

    /// <summary>A write orchestration that fails at once (its document has no updated_at).</summary>
    private async Task<string> FailedInstanceAsync()
    {
        var id = "failed-" + Guid.NewGuid().ToString("N")[..8];
        await Client.ScheduleNewOrchestrationInstanceAsync(nameof(WriteEntityOrchestrator), new WriteEntityInput("dev", "venture", "V-FAIL", "{}"),
            new StartOrchestrationOptions(id));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await Client.GetInstanceAsync(id))?.RuntimeStatus != OrchestrationRuntimeStatus.Failed && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return id;
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return fixture.Http.SendAsync(request);
    }

    [Fact]
    public async Task List_NoShowInput_IncludesInputAsTheExtensionDoes()
    {
        var instance = await CompletedWriteAsync("V-LIST-" + Guid.NewGuid().ToString("N")[..6]);
        var prefix = Uri.EscapeDataString(instance);
        var list = JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri($"{Root}?instanceIdPrefix={prefix}", UriKind.Relative)))!.AsArray();
        Assert.NotNull(Assert.Single(list)!["input"]);
        var without = JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri($"{Root}?instanceIdPrefix={prefix}&showInput=false", UriKind.Relative)))!.AsArray();
        Assert.Null(Assert.Single(without)!["input"]);
    }

    [Fact]
    public async Task Rewind_FailedInstance_IsRewoundOrRefusedWith501Reason()
    {
        var id = await FailedInstanceAsync();
        using var rewind = await SendAsync(HttpMethod.Post, $"{Root}/{Uri.EscapeDataString(id)}/rewind?reason=test");
        Assert.True(rewind.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.NotImplemented, rewind.StatusCode.ToString());
        if (rewind.StatusCode == HttpStatusCode.NotImplemented)
        {
            var problem = JsonNode.Parse(await rewind.Content.ReadAsStringAsync())!;
            Assert.EndsWith("rewind-not-supported", problem["type"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains("does not support rewinding", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Rewind_CompletedAndUnknown_Answer410And404()
    {
        var completed = await CompletedWriteAsync("V-RWC-" + Guid.NewGuid().ToString("N")[..6]);
        using var gone = await SendAsync(HttpMethod.Post, $"{Root}/{Uri.EscapeDataString(completed)}/rewind");
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        using var missing = await SendAsync(HttpMethod.Post, $"{Root}/no-such-instance/rewind");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Write_Accepted_CarriesRetryAfter()
    {
        using var put = await fixture.Http.PutAsync(new Uri($"api/dev/ventures/V-RA-{Guid.NewGuid().ToString("N")[..6]}", UriKind.Relative), DevHostFixture.Json(Venture));
        Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
        Assert.NotNull(put.Headers.RetryAfter);
        await fixture.WaitForCompletionAsync(put.Headers.Location!);
    }

    [Theory]
    [InlineData("text/plain", "hello")]
    [InlineData("application/xml", "<a/>")]
    [InlineData("application/json", "{not json")]
    public async Task RaiseEvent_NonJsonBody_Returns400(string mediaType, string body)
    {
        var instance = await CompletedWriteAsync("V-EVT-" + Guid.NewGuid().ToString("N")[..6]);
        using var raised = await SendAsync(HttpMethod.Post, $"{Root}/{Uri.EscapeDataString(instance)}/raiseEvent/poke",
            new StringContent(body, Encoding.UTF8, mediaType));
        Assert.Equal(HttpStatusCode.BadRequest, raised.StatusCode);
        Assert.Equal("application/problem+json", raised.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("{\"not\":\"a token\"}")]
    [InlineData("eyJhIjoxfQ==")]
    [InlineData("-1")]
    [InlineData("99999999999999999999")]
    public async Task List_MalformedContinuationToken_Returns400(string token)
    {
        using var response = await SendAsync(HttpMethod.Get, $"{Root}?top=2", null, ("x-ms-continuation-token", token));
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("showInput=maybe")]
    [InlineData("top=abc")]
    [InlineData("top=0")]
    [InlineData("top=99999999999")]
    [InlineData("createdTimeFrom=yesterday")]
    [InlineData("runtimeStatus=Sleeping")]
    public async Task List_MalformedQueryValue_Returns400Problem(string query)
    {
        using var response = await SendAsync(HttpMethod.Get, $"{Root}?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task TaskHub_OtherHub_Returns404AndOursIsServed()
    {
        var instance = Uri.EscapeDataString(await CompletedWriteAsync("V-HUB-" + Guid.NewGuid().ToString("N")[..6]));
        using var ours = await fixture.Http.GetAsync(new Uri($"{Root}/{instance}?taskHub=EccoStudio&connection=Storage&code=x", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ours.StatusCode);
        foreach (var path in new[] { $"{Root}/{instance}?taskHub=OtherHub", $"{Root}?taskHub=OtherHub" })
        {
            using var other = await fixture.Http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
            Assert.Contains("unknown-task-hub", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var terminate = await SendAsync(HttpMethod.Post, $"{Root}/{instance}/terminate?taskHub=OtherHub");
        Assert.Equal(HttpStatusCode.NotFound, terminate.StatusCode);
    }

    private static readonly string[] DurableClientCaseNames =
    [
        "getStatus_completed_includesInput",
        "getStatusBy_listsWithInputByDefault",
        "getStatusAll_followsContinuation",
        "getStatus_unknown_rejectsAsNotFound",
        "getStatus_otherTaskHub_isNotAnsweredForOurs",
        "rewind_failed_isRewoundOrNotSupported",
        "rewind_completed_isRefusedNotMissing",
        "rewind_unknown_rejectsAsMissing",
        "raiseEvent_completed_isGoneNotAnError",
        "raiseEvent_unknown_rejects",
        "terminate_completed_isGoneNotAnError",
        "suspendResume_unknown_reject",
        "createHttpManagementPayload_urlsWork",
        "waitForCompletion_completed_returnsOutput",
        "purgeInstanceHistory_removesOne",
    ];

    [Fact]
    public async Task DurableFunctionsClient_BothUrlModes_EveryCasePasses()
    {
        var completed = await CompletedWriteAsync("V-DFC-" + Guid.NewGuid().ToString("N")[..6]);
        var purge1 = await CompletedWriteAsync("V-DFP-" + Guid.NewGuid().ToString("N")[..6]);
        var purge2 = await CompletedWriteAsync("V-DFP-" + Guid.NewGuid().ToString("N")[..6]);
        var failed = await FailedInstanceAsync();
        var result = await NodeScript.RunAsync("tests/Host.Tests/Conformance/durable-client.js", new Dictionary<string, string>
        {
            ["HOST_BASE"] = fixture.Host.BaseUri.ToString(),
            ["TASK_HUB"] = "EccoStudio",
            ["COMPLETED_ID"] = completed,
            ["FAILED_ID"] = failed,
            ["PURGE_IDS"] = $"{purge1},{purge2}",
        }, TimeSpan.FromMinutes(2));

        var expected = new[] { "urls", "rpc" }.SelectMany(m => DurableClientCaseNames.Select(c => $"{m}:{c}")).Order(StringComparer.Ordinal);
        Assert.Equal(expected, result.Cases.Select(c => c.Case).Order(StringComparer.Ordinal));
        var failures = result.Cases.Where(c => !c.Ok).Select(c => $"{c.Case}: {c.Error}").ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + result);
        Assert.Equal(0, result.ExitCode);
    }
}
