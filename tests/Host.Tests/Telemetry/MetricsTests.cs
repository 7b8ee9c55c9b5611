using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Faults;

namespace EccoStudio.Host.Tests.Telemetry;

/// <summary>
/// A scripted run against the dev host moves each metric by exactly what the script did: writes (one replayed by
/// Idempotency-Key), a step retried after an injected 503, a write compensated after an injected failure, GCS
/// requests throttled by the emulator (counted against the emulator's own tally), and duplicate / refused pushes.
/// Then no document body, API key or token appears in any span or metric.
/// </summary>
[Collection(TelemetryGroup.Name)]
public sealed class MetricsTests(TelemetryHostFixture fixture) : IClassFixture<TelemetryHostFixture>
{
    private const string Marker = "MARKER-body-9d2e41";
    private const string Token = "TOKEN-secret-5b7a90";

    [Fact]
    public async Task ScriptedRun_WritesRetriesCompensationThrottlingPushes_EachMetricMovesByExactlyThatMuch()
    {
        var before = Read();
        var stats = fixture.Host.Gcs.Faults.Stats.Snapshot();

        // 2 plain writes, 1 write with an Idempotency-Key sent twice (one instance).
        Assert.Equal("Completed", await WriteAsync("V7101"));
        Assert.Equal("Completed", await WriteAsync("V7102"));
        var keyed = await fixture.PutAsync("V7101", TelemetryHostFixture.Venture.Replace("Ann", "Bea", StringComparison.Ordinal), idempotencyKey: "metrics-k1");
        var replay = await fixture.PutAsync("V7101", TelemetryHostFixture.Venture.Replace("Ann", "Bea", StringComparison.Ordinal), idempotencyKey: "metrics-k1");
        Assert.Equal(keyed["id"]!.GetValue<string>(), replay["id"]!.GetValue<string>());
        Assert.Equal("Completed", (await fixture.WaitAsync(keyed))["runtimeStatus"]!.GetValue<string>());

        // The snapshot put fails once with a 503: the step is retried once and the write completes.
        fixture.Faults.FailPuts("/snapshots/", "/V7103.json", 1, transient: true);
        Assert.Equal("Completed", await WriteAsync("V7103"));

        // The manifest entry put fails for good (a non-transient error): compensated, Failed at step manifest.
        fixture.Faults.FailPuts("/manifests/", "/V7104.json", 1, transient: false);
        var failed = await fixture.PutAsync("V7104");
        var failedStatus = await fixture.WaitAsync(failed);
        Assert.Equal("Failed", failedStatus["runtimeStatus"]!.GetValue<string>());

        // The emulator throttles a quarter of the GETs of one write; the store retries each.
        fixture.Host.Gcs.Faults.Update(new FaultSettings { Rate429 = 0.25, Method = "GET", Seed = 7 });
        try
        {
            Assert.Equal("Completed", await WriteAsync("V7105"));
        }
        finally
        {
            fixture.Host.Gcs.Faults.Update(new FaultSettings());
        }

        var throttled = fixture.Host.Gcs.Faults.Stats.Snapshot().TooManyRequests - stats.TooManyRequests;
        Assert.True(throttled > 0, "the emulator injected no 429");

        // Pushes: a history object that is no longer the last applied → reconcile started; the same again → duplicate;
        // a malformed body → refused (400).
        var firstHistory = await FirstHistoryObjectAsync("V7101");
        Assert.Equal(202, await PushAsync(firstHistory));
        Assert.Equal(200, await PushAsync(firstHistory));
        using (var bad = await fixture.Http.PostAsync(new Uri("api/pubsub/gcs-events", UriKind.Relative), new StringContent("{not json", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(400, (int)bad.StatusCode);
        }

        var after = Read();
        var delta = after.ToDictionary(p => p.Key, p => p.Value - before[p.Key]);
        Assert.Equal(6, delta["accepted"]);  // V7101, V7102, keyed V7101 (its replay does not count), V7103, V7104, V7105
        Assert.Equal(5, delta["completed"]); // all but V7104
        Assert.Equal(1, delta["failed.manifest"]);
        Assert.Equal(1, delta["compensated"]);
        Assert.Equal(1, delta["retries.snapshot"]);
        Assert.Equal(6, delta["steps.snapshot.ok"]); // every write got past the snapshot step (V7104 failed later)
        Assert.Equal(6 + 1, delta["attempts.snapshot.ok"]); // V7103's snapshot took two attempts
        Assert.Equal(throttled, delta["gcs.throttled"]);
        Assert.Equal(throttled, delta["gcs.retries"]);
        Assert.Equal(1, delta["push.started"]);
        Assert.Equal(1, delta["push.duplicate"]);
        Assert.Equal(1, delta["push.duplicates"]);
        Assert.Equal(1, delta["push.refused"]);
        Assert.Equal(1, delta["refused.bad_request"]);
    }

    [Fact]
    public async Task Spans_And_Metrics_NeverCarryBodyKeyOrToken()
    {
        var body = TelemetryHostFixture.Venture.Replace("\"lead\":\"Ann\"", $"\"lead\":\"{Marker}\"", StringComparison.Ordinal);
        using (var request = new HttpRequestMessage(HttpMethod.Put, new Uri("api/dev/ventures/V7201?code=test-api-key-7f3c", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        })
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
            using var response = await fixture.Http.SendAsync(request);
            Assert.Equal(202, (int)response.StatusCode);
            var accepted = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            Assert.Equal("Completed", (await fixture.WaitAsync(accepted))["runtimeStatus"]!.GetValue<string>());
        }

        using (var push = new HttpRequestMessage(HttpMethod.Post, new Uri("api/pubsub/gcs-events", UriKind.Relative))
        {
            Content = new StringContent("{\"message\":{\"messageId\":\"x\",\"data\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes(Marker)) + "\"}}", Encoding.UTF8, "application/json"),
        })
        {
            push.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
            using var response = await fixture.Http.SendAsync(push);
            Assert.Equal(400, (int)response.StatusCode);
        }

        // The write's spans are all exported once its orchestration span is.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!fixture.SpansSnapshot().Any(s => s.DisplayName.StartsWith("orchestration:", StringComparison.Ordinal) && Equals(s.GetTagItem("ecco.id"), "V7201")))
        {
            Assert.True(DateTime.UtcNow < deadline, "orchestration span not exported");
            await Task.Delay(50);
        }

        var texts = new List<string>();
        foreach (var span in fixture.SpansSnapshot())
        {
            texts.Add(span.DisplayName);
            texts.Add(span.StatusDescription ?? "");
            texts.AddRange(span.TagObjects.Select(t => $"{t.Key}={t.Value}"));
            texts.AddRange(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}")));
            texts.AddRange(span.Baggage.Select(b => $"{b.Key}={b.Value}"));
        }

        Assert.Contains(texts, t => t.Contains("V7201", StringComparison.Ordinal)); // the scan sees this write's spans
        texts.AddRange(fixture.MetricTexts());
        foreach (var secret in new[] { Marker, "test-api-key-7f3c", Token })
        {
            var leaks = texts.Where(t => t.Contains(secret, StringComparison.Ordinal)).ToList();
            Assert.True(leaks.Count == 0, $"{secret} found in: {string.Join(" | ", leaks)}");
        }
    }

    private async Task<string> WriteAsync(string id) =>
        (await fixture.WaitAsync(await fixture.PutAsync(id)))["runtimeStatus"]!.GetValue<string>();

    private async Task<string> FirstHistoryObjectAsync(string id)
    {
        using var response = await fixture.Http.GetAsync(new Uri($"api/dev/ventures/{id}/history", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        var names = System.Text.RegularExpressions.Regex.Matches(text, "env/dev/ventures/" + id + "/history/[^\"]+\\.json").Select(m => m.Value).Distinct().ToList();
        Assert.True(names.Count >= 2, "history of " + id + ": " + text);
        names.Sort(StringComparer.Ordinal);
        return names[0];
    }

    private async Task<int> PushAsync(string objectName)
    {
        var push = new JsonObject
        {
            ["message"] = new JsonObject
            {
                ["messageId"] = "m-" + Guid.NewGuid().ToString("N"),
                ["attributes"] = new JsonObject
                {
                    ["eventType"] = "OBJECT_FINALIZE",
                    ["bucketId"] = fixture.Host.Settings.Bucket,
                    ["objectId"] = objectName,
                    ["objectGeneration"] = "1",
                },
            },
            ["subscription"] = "projects/demo/subscriptions/ecco-test",
        };
        using var response = await fixture.Http.PostAsync(new Uri("api/pubsub/gcs-events", UriKind.Relative),
            new StringContent(push.ToJsonString(), Encoding.UTF8, "application/json"));
        return (int)response.StatusCode;
    }

    private Dictionary<string, double> Read() => new()
    {
        ["accepted"] = fixture.Read("ecco.writes.accepted", ("ecco.env", "dev"), ("ecco.entity", "venture")),
        ["completed"] = fixture.Read("ecco.writes.completed", ("ecco.entity", "venture")),
        ["failed.manifest"] = fixture.Read("ecco.writes.failed", ("ecco.step", "manifest")),
        ["compensated"] = fixture.Read("ecco.writes.compensated", ("ecco.step", "manifest")),
        ["retries.snapshot"] = fixture.Read("ecco.step.retries", ("ecco.workflow", "write"), ("ecco.step", "snapshot")),
        ["attempts.snapshot.ok"] = fixture.Read("ecco.step.attempts", sum: true, ("ecco.workflow", "write"), ("ecco.step", "snapshot"), ("ecco.outcome", "ok")),
        ["steps.snapshot.ok"] = fixture.Read("ecco.step.duration", ("ecco.workflow", "write"), ("ecco.step", "snapshot"), ("ecco.outcome", "ok")),
        ["gcs.throttled"] = fixture.Read("ecco.gcs.operations", ("ecco.outcome", "throttled")),
        ["gcs.retries"] = fixture.Read("ecco.gcs.retries"),
        ["push.started"] = fixture.Read("ecco.pubsub.pushes.received", ("ecco.outcome", "started")),
        ["push.duplicate"] = fixture.Read("ecco.pubsub.pushes.received", ("ecco.outcome", "duplicate")),
        ["push.duplicates"] = fixture.Read("ecco.pubsub.pushes.duplicates"),
        ["push.refused"] = fixture.Read("ecco.pubsub.pushes.received", ("ecco.outcome", "refused")),
        ["refused.bad_request"] = fixture.Read("ecco.pubsub.pushes.refused", ("ecco.reason", "bad_request")),
    };
}
