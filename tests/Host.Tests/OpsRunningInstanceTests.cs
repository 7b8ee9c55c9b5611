using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Faults;
using EccoStudio.Host.Dev;

namespace EccoStudio.Host.Tests;

/// <summary>
/// The management API on RUNNING instances: writes are held in their snapshot step by the GCS emulator's fault
/// injection (every request on <c>env/dev/snapshots/</c> delayed), so ops can act on them while they run.
/// </summary>
public sealed class OpsRunningInstanceTests : IAsyncLifetime, IDisposable
{
    private const string Root = "runtime/webhooks/durabletask/instances";
    private const string Venture = """{"schema_version":"1.0.0","lead":"Ann","status":"Idea","milestones":[],"budget":{"plannedUSD":1,"spentUSD":0},"kpis":{"MRR":0,"userCount":0,"churnRate":0}}""";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "ecco-ops-" + Guid.NewGuid().ToString("N")[..8]);
    private DevHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = await DevHost.StartAsync(new DevSettings { Port = 0, GcsPort = 0, DataDirectory = _data });
        _http = new HttpClient { BaseAddress = _host.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
    }

    public void Dispose() => _http?.Dispose();

    public async Task DisposeAsync()
    {
        _host.Gcs.Faults.Update(new FaultSettings());
        _http.Dispose();
        await _host.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private void HoldSnapshots() =>
        _host.Gcs.Faults.Update(new FaultSettings { LatencyRate = 1, LatencyMs = 3000, ObjectPrefix = "env/dev/snapshots/" });

    private void ReleaseSnapshots() => _host.Gcs.Faults.Update(new FaultSettings());

    /// <summary>Starts a write whose snapshot step is held; returns its check-status payload.</summary>
    private async Task<JsonObject> StartHeldWriteAsync(string id)
    {
        HoldSnapshots();
        using var response = await _http.PutAsync(new Uri($"api/dev/ventures/{id}", UriKind.Relative), new StringContent(Venture, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> StatusAsync(string instanceId, string query = "")
    {
        var response = await _http.GetAsync(new Uri($"{Root}/{Uri.EscapeDataString(instanceId)}{query}", UriKind.Relative));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(), response);
    }

    private async Task<JsonObject> WaitForStatusAsync(string instanceId, params string[] statuses)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var (_, body, response) = await StatusAsync(instanceId);
            response.Dispose();
            if (statuses.Contains(body["runtimeStatus"]!.GetValue<string>()) || DateTime.UtcNow > deadline)
            {
                return body;
            }

            await Task.Delay(100);
        }
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string? json = null) =>
        await _http.PostAsync(new Uri(path, UriKind.Relative), json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Status_RunningWrite_Is202WithLocationAndRetryAfterThen200()
    {
        var payload = await StartHeldWriteAsync("V-RUN-" + Guid.NewGuid().ToString("N")[..6]);
        var id = payload["id"]!.GetValue<string>();

        var (status, body, response) = await StatusAsync(id);
        using (response)
        {
            Assert.Equal(HttpStatusCode.Accepted, status);
            Assert.Contains(body["runtimeStatus"]!.GetValue<string>(), new[] { "Pending", "Running" });
            Assert.Equal(payload["statusQueryGetUri"]!.GetValue<string>(), response.Headers.Location!.ToString());
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal("WriteEntityOrchestrator", body["name"]!.GetValue<string>());
        }

        ReleaseSnapshots();
        var done = await WaitForStatusAsync(id, "Completed", "Failed", "Terminated");
        Assert.Equal("Completed", done["runtimeStatus"]!.GetValue<string>());
        var (finalStatus, _, finalResponse) = await StatusAsync(id);
        finalResponse.Dispose();
        Assert.Equal(HttpStatusCode.OK, finalStatus);
    }

    [Fact]
    public async Task SuspendRaiseEventResume_RunningWrite_SuspendsThenCompletes()
    {
        var target = "V-SUS-" + Guid.NewGuid().ToString("N")[..6];
        var id = (await StartHeldWriteAsync(target))["id"]!.GetValue<string>();
        var instance = $"{Root}/{Uri.EscapeDataString(id)}";

        using (var suspend = await PostAsync($"{instance}/suspend?reason=ops-test"))
        {
            Assert.Equal(HttpStatusCode.Accepted, suspend.StatusCode);
        }

        Assert.Equal("Suspended", (await WaitForStatusAsync(id, "Suspended", "Completed", "Failed"))["runtimeStatus"]!.GetValue<string>());
        var (suspendedStatus, _, suspendedResponse) = await StatusAsync(id);
        suspendedResponse.Dispose();
        Assert.Equal(HttpStatusCode.Accepted, suspendedStatus);

        // Only a Failed instance can be rewound (docs/api.md "Management API"): a suspended one is 412, not 404.
        using (var rewind = await PostAsync($"{instance}/rewind?reason=ops-test"))
        {
            Assert.Equal(HttpStatusCode.PreconditionFailed, rewind.StatusCode);
        }

        using (var raised = await PostAsync($"{instance}/raiseEvent/opsPoke", """{"note":"hello"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, raised.StatusCode);
        }

        using (var badEvent = await PostAsync($"{instance}/raiseEvent/opsPoke", "{not json"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badEvent.StatusCode);
        }

        ReleaseSnapshots();
        using (var resume = await PostAsync($"{instance}/resume?reason=ops-test"))
        {
            Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        }

        Assert.Equal("Completed", (await WaitForStatusAsync(id, "Completed", "Failed", "Terminated"))["runtimeStatus"]!.GetValue<string>());
        using var read = await _http.GetAsync(new Uri($"api/dev/ventures/{target}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);

        using var raiseAfter = await PostAsync($"{instance}/raiseEvent/opsPoke");
        Assert.Equal(HttpStatusCode.Gone, raiseAfter.StatusCode);
    }

    [Fact]
    public async Task Rewind_RunningWrite_Returns412NotFailed()
    {
        var id = (await StartHeldWriteAsync("V-RWD-" + Guid.NewGuid().ToString("N")[..6]))["id"]!.GetValue<string>();
        using (var rewind = await PostAsync($"{Root}/{Uri.EscapeDataString(id)}/rewind?reason=test"))
        {
            Assert.Equal(HttpStatusCode.PreconditionFailed, rewind.StatusCode);
            Assert.Equal("application/problem+json", rewind.Content.Headers.ContentType!.MediaType);
        }

        ReleaseSnapshots();
        Assert.Equal("Completed", (await WaitForStatusAsync(id, "Completed", "Failed", "Terminated"))["runtimeStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task Terminate_RunningWrite_EndsTerminatedAndCannotBeTerminatedAgain()
    {
        var id = (await StartHeldWriteAsync("V-TRM-" + Guid.NewGuid().ToString("N")[..6]))["id"]!.GetValue<string>();
        var instance = $"{Root}/{Uri.EscapeDataString(id)}";

        using (var terminate = await PostAsync($"{instance}/terminate?reason=stop%20it"))
        {
            Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
        }

        var final = await WaitForStatusAsync(id, "Terminated", "Completed", "Failed");
        ReleaseSnapshots();
        Assert.Equal("Terminated", final["runtimeStatus"]!.GetValue<string>());
        Assert.Contains("stop it", final["output"]?.ToJsonString() ?? "", StringComparison.Ordinal);
        var (status, _, response) = await StatusAsync(id);
        response.Dispose();
        Assert.Equal(HttpStatusCode.OK, status);

        using var again = await PostAsync($"{instance}/terminate");
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        using var suspendEnded = await PostAsync($"{instance}/suspend");
        Assert.Equal(HttpStatusCode.Gone, suspendEnded.StatusCode);
    }

    [Fact]
    public async Task Restart_RunningWrite_StartsANewInstanceWithTheSameInput()
    {
        var id = (await StartHeldWriteAsync("V-RST-" + Guid.NewGuid().ToString("N")[..6]))["id"]!.GetValue<string>();

        using var restart = await PostAsync($"{Root}/{Uri.EscapeDataString(id)}/restart");

        Assert.Equal(HttpStatusCode.Accepted, restart.StatusCode);
        var payload = JsonNode.Parse(await restart.Content.ReadAsStringAsync())!;
        var newId = payload["id"]!.GetValue<string>();
        Assert.NotEqual(id, newId);
        Assert.Equal(payload["statusQueryGetUri"]!.GetValue<string>(), restart.Headers.Location!.ToString());
        var (_, original, r1) = await StatusAsync(id);
        var (_, restarted, r2) = await StatusAsync(newId);
        r1.Dispose();
        r2.Dispose();
        Assert.Equal(original["input"]!.ToJsonString(), restarted["input"]!.ToJsonString());
        Assert.Equal("WriteEntityOrchestrator", restarted["name"]!.GetValue<string>());

        ReleaseSnapshots();
        Assert.Equal("Completed", (await WaitForStatusAsync(id, "Completed", "Failed", "Terminated"))["runtimeStatus"]!.GetValue<string>());
        Assert.Equal("Completed", (await WaitForStatusAsync(newId, "Completed", "Failed", "Terminated"))["runtimeStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task Status_ShowInputAndShowHistory_AreHonoured()
    {
        var target = "V-HIS-" + Guid.NewGuid().ToString("N")[..6];
        var id = (await StartHeldWriteAsync(target))["id"]!.GetValue<string>();
        ReleaseSnapshots();
        await WaitForStatusAsync(id, "Completed", "Failed", "Terminated");

        var (_, withInput, r1) = await StatusAsync(id);
        var (_, withoutInput, r2) = await StatusAsync(id, "?showInput=false");
        var (_, withHistory, r3) = await StatusAsync(id, "?showHistory=true&showHistoryOutput=true");
        r1.Dispose();
        r2.Dispose();
        r3.Dispose();

        Assert.Equal(target, withInput["input"]!["Id"]?.GetValue<string>() ?? withInput["input"]!["id"]!.GetValue<string>());
        Assert.Null(withoutInput["input"]);
        Assert.False(withInput.ContainsKey("historyEvents"));
        Assert.NotNull(withHistory["customStatus"]);

        // The local engine streams the instance's history (ManagementApiHistoryTests checks it event by event).
        var events = withHistory["historyEvents"]!.AsArray();
        Assert.Equal("ExecutionStarted", events[0]!["EventType"]!.GetValue<string>());
        Assert.Equal("ExecutionCompleted", events[^1]!["EventType"]!.GetValue<string>());
        Assert.False(withHistory.ContainsKey("historyEventsUnavailable"));
    }
}
