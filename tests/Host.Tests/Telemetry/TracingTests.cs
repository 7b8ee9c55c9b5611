using System.Diagnostics;
using EccoStudio.Telemetry;

namespace EccoStudio.Host.Tests.Telemetry;

/// <summary>One write → one trace: HTTP server span → create_orchestration → orchestration → activity → gcs.* → HTTP client.</summary>
[Collection(TelemetryGroup.Name)]
public sealed class TracingTests(TelemetryHostFixture fixture) : IClassFixture<TelemetryHostFixture>
{
    [Fact]
    public async Task Put_OneWrite_OneTraceFromHttpThroughOrchestrationActivitiesToGcs()
    {
        var accepted = await fixture.PutAsync("V7001");
        var instanceId = accepted["id"]!.GetValue<string>();
        Assert.Equal("Completed", (await fixture.WaitAsync(accepted))["runtimeStatus"]!.GetValue<string>());

        var server = await WaitForSpanAsync(s => s.Kind == ActivityKind.Server && Equals(s.GetTagItem(EccoTags.InstanceId), instanceId)
            && Equals(s.GetTagItem("http.request.method"), "PUT"));
        Assert.Equal(202, Convert.ToInt32(server.GetTagItem("http.response.status_code"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("dev", server.GetTagItem(EccoTags.Env));
        Assert.Equal("venture", server.GetTagItem(EccoTags.Entity));
        Assert.Equal("V7001", server.GetTagItem(EccoTags.Id));
        Assert.Equal("/api/{env}/{entity}/{id}", server.GetTagItem("http.route"));

        // The orchestration span is exported when the orchestration completes.
        var orchestration = await WaitForSpanAsync(s => s.TraceId == server.TraceId && s.DisplayName.StartsWith("orchestration:WriteEntityOrchestrator", StringComparison.Ordinal));
        var trace = fixture.SpansSnapshot().Where(s => s.TraceId == server.TraceId).ToList();
        var byId = trace.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());

        Assert.Equal("dev", orchestration.GetTagItem(EccoTags.Env));
        Assert.Equal("V7001", orchestration.GetTagItem(EccoTags.Id));
        Assert.Contains(Ancestors(orchestration, byId), a => a.SpanId == server.SpanId);

        // Every step's activity ran in this trace, under the orchestration. The PUT handler validated the document, so
        // the write has no validate step of its own (WriteEntityInput.Validated).
        Assert.DoesNotContain(trace, s => s.DisplayName == "activity:ValidateChangeActivity");
        foreach (var step in new[] { "AppendHistory", "ApplySnapshot", "UpsertManifestEntry", "SyncIndices", "EvaluateRules" })
        {
            var activity = trace.SingleOrDefault(s => s.Kind == ActivityKind.Server && s.DisplayName == $"activity:{step}Activity");
            Assert.True(activity is not null, $"no activity span for {step}; spans: {string.Join(", ", trace.Select(s => s.DisplayName))}");
            Assert.Equal(step, activity.GetTagItem(EccoTags.Step));
            Assert.Equal("V7001", activity.GetTagItem(EccoTags.Id));
            Assert.Contains(Ancestors(activity, byId), a => a.SpanId == orchestration.SpanId);
        }

        // Step spans carry step and attempt.
        var snapshotStep = Assert.Single(trace, s => s.DisplayName == "step snapshot");
        Assert.Equal(1, Convert.ToInt32(snapshotStep.GetTagItem(EccoTags.Attempt), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(orchestration.SpanId, snapshotStep.ParentSpanId);

        // GCS calls under activities, with object name and generation, and their HTTP requests as client spans.
        var historyPut = Assert.Single(trace, s => s.DisplayName == "gcs.put"
            && ((string?)s.GetTagItem(EccoTags.ObjectName))!.Contains("/V7001/history/", StringComparison.Ordinal));
        Assert.True(Convert.ToInt64(historyPut.GetTagItem(EccoTags.Generation), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("ok", historyPut.GetTagItem(EccoTags.Outcome));
        Assert.Contains(Ancestors(historyPut, byId), a => a.DisplayName == "activity:AppendHistoryActivity");
        var gcsSpans = trace.Where(s => s.Source.Name == EccoTelemetryNames.Storage).ToList();
        Assert.All(gcsSpans, g => Assert.Contains(Ancestors(g, byId), a => a.DisplayName.StartsWith("activity:", StringComparison.Ordinal) || a.SpanId == server.SpanId));
        var http = trace.Where(s => s.Kind == ActivityKind.Client && s.GetTagItem("http.request.method") is not null && s.ParentSpanId == historyPut.SpanId).ToList();
        Assert.NotEmpty(http);
        Assert.All(http, h =>
        {
            Assert.NotNull(h.GetTagItem("server.address"));
            Assert.NotNull(h.GetTagItem("http.response.status_code"));
        });
    }

    private async Task<Activity> WaitForSpanAsync(Func<Activity, bool> match)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var found = fixture.SpansSnapshot().FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "span not exported; spans: " + string.Join(", ", fixture.SpansSnapshot().Select(s => s.DisplayName).Distinct()));
            await Task.Delay(50);
        }
    }

    private static List<Activity> Ancestors(Activity span, Dictionary<ActivitySpanId, Activity> byId)
    {
        var chain = new List<Activity>();
        var current = span;
        while (current.ParentSpanId != default && byId.TryGetValue(current.ParentSpanId, out var parent))
        {
            chain.Add(parent);
            current = parent;
        }

        return chain;
    }
}
