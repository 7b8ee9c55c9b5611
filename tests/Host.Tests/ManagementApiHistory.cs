using System.Net;
using System.Text.Json.Nodes;
using DurableTask.Core.History;
using EccoStudio.Activities.History;
using EccoStudio.Activities.Indices;
using EccoStudio.Activities.Manifests;
using EccoStudio.Activities.Rules;
using EccoStudio.Activities.Snapshots;
using EccoStudio.Host.Dev;
using EccoStudio.Orchestrations.Writes;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Host.Tests;

/// <summary>
/// Issue 14 item 5, shared by the in-memory and the Azurite engine: a completed write's <c>showHistory=true</c> answer
/// lists the real history events, in the Durable Functions HTTP shape (docs/api.md, "Ops").
/// </summary>
public static class ManagementApiHistory
{
    private const string Root = "runtime/webhooks/durabletask/instances";
    private const string Venture = """{"schema_version":"1.0.0","lead":"Ann","status":"Idea","milestones":[],"budget":{"plannedUSD":1,"spentUSD":0},"kpis":{"MRR":0,"userCount":0,"churnRate":0}}""";

    /// <summary>
    /// The activities a plain venture PUT runs, in the order scheduled (no rule fires, so no alert delivery; the handler
    /// validated the document, so no validate step: WriteEntityInput.Validated).
    /// </summary>
    public static readonly string[] WriteActivities =
    [
        nameof(AppendHistoryActivity), nameof(ApplySnapshotActivity),
        nameof(UpsertManifestEntryActivity), nameof(SyncIndicesActivity), nameof(EvaluateRulesActivity),
    ];

    public static async Task CompletedWrite_ShowHistory_ListsStartedEachActivityAndCompletedAsync(DevHost host, HttpClient http, string id)
    {
        using var put = await http.PutAsync(new Uri($"api/dev/ventures/{id}", UriKind.Relative), DevHostFixture.Json(Venture));
        Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
        var instanceId = await WaitForCompletedAsync(http, put.Headers.Location!);

        // The engine's own history (what the sidecar streams): one TaskScheduled + one TaskCompleted per activity.
        var raw = await host.Services.GetRequiredService<DurableTaskClient>().GetOrchestrationHistoryAsync(instanceId);
        var scheduled = raw.OfType<TaskScheduledEvent>().ToList();
        Assert.Equal(WriteActivities, scheduled.Select(s => s.Name));
        var answers = raw.OfType<TaskCompletedEvent>().ToList();
        // One answer per scheduled activity; manifest, indices and rules run side by side, so they answer in any order.
        Assert.Equal(scheduled.Select(s => s.EventId).Order(), answers.Select(a => a.TaskScheduledId).Order());
        Assert.Empty(raw.OfType<TaskFailedEvent>());

        // The management API: ExecutionStarted first, one TaskCompleted per activity (its TaskScheduled folded in, as
        // the Durable extension answers), ExecutionCompleted last; results only with showHistoryOutput=true.
        var (status, plain) = await StatusAsync(http, instanceId, "?showHistory=true");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(plain.ContainsKey("historyEventsUnavailable"));
        var events = plain["historyEvents"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Equal(["ExecutionStarted", .. WriteActivities.Select(_ => "TaskCompleted"), "ExecutionCompleted"],
            events.Select(e => e["EventType"]!.GetValue<string>()));
        Assert.Equal(nameof(WriteEntityOrchestrator), events[0]["FunctionName"]!.GetValue<string>());
        Assert.Contains(id, events[0]["Input"]!.GetValue<string>(), StringComparison.Ordinal); // showInput defaults to true
        Assert.Equal(WriteActivities.Order(StringComparer.Ordinal), events[1..^1].Select(e => e["FunctionName"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal("Completed", events[^1]["OrchestrationStatus"]!.GetValue<string>());
        foreach (var e in events)
        {
            Assert.True(DateTimeOffset.TryParse(e["Timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out _), e.ToJsonString());
            Assert.False(e.ContainsKey("Result"), "a result without showHistoryOutput: " + e.ToJsonString());
            Assert.False(e.ContainsKey("EventId"));
        }

        foreach (var e in events[1..^1])
        {
            var scheduledAt = DateTimeOffset.Parse(e["ScheduledTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(scheduledAt <= DateTimeOffset.Parse(e["Timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), e.ToJsonString());
        }

        var (_, withOutput) = await StatusAsync(http, instanceId, "?showHistory=true&showHistoryOutput=true&showInput=false");
        var outputs = withOutput["historyEvents"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Equal(events.Count, outputs.Count);
        Assert.All(outputs[1..], e => Assert.True(e.ContainsKey("Result"), e.ToJsonString()));
        Assert.All(outputs, e => Assert.False(e.ContainsKey("Input"), e.ToJsonString()));
        Assert.Equal(withOutput["output"]!.ToJsonString(), outputs[^1]["Result"]!.ToJsonString());
        var snapshotResult = outputs.Single(e => e["FunctionName"]?.GetValue<string>() == nameof(ApplySnapshotActivity))["Result"]!;
        Assert.Contains(id, snapshotResult.ToJsonString(), StringComparison.Ordinal);
    }

    private static async Task<string> WaitForCompletedAsync(HttpClient http, Uri statusUri)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            using var response = await http.GetAsync(statusUri);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal("Completed", body["runtimeStatus"]!.GetValue<string>());
                return body["instanceId"]!.GetValue<string>();
            }

            Assert.True(DateTime.UtcNow < deadline, "write still running: " + body.ToJsonString());
            await Task.Delay(100);
        }
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> StatusAsync(HttpClient http, string instanceId, string query)
    {
        using var response = await http.GetAsync(new Uri($"{Root}/{Uri.EscapeDataString(instanceId)}{query}", UriKind.Relative));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }
}
