using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Orchestrations.Compaction;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Host.Tests.Telemetry;

/// <summary>
/// A scripted run (on a host of its own, so that only this script's ventures exist) moves the alert, compaction and
/// drift metrics by exactly what it did: a rule's alert posted once to the configured webhook, then suppressed by its
/// dedupe key when the same snapshot version is written again; one manifest compaction over the two ventures; the ops
/// drift check run once clean and once after a hand-made edit of one snapshot. Names: docs/observability.md.
/// </summary>
[Collection(TelemetryGroup.Name)]
public sealed class AlertAndMaintenanceMetricsTests(TelemetryHostFixture fixture) : IClassFixture<TelemetryHostFixture>
{
    // A fixed updated_at: writing the same document twice is the same snapshot version, so the same dedupe key.
    private const string PilotVenture = """{"schema_version":"1.0.0","updated_at":"2025-11-06T10:00:00Z","lead":"Ann","status":"Pilot","milestones":[],"budget":{"plannedUSD":1,"spentUSD":0},"kpis":{"MRR":0,"userCount":0,"churnRate":0}}""";

    private static readonly string PilotRule = $$$"""
        {"schema_version":"1.0.0","name":"Pilot alert","target_entity":"venture","enabled":true,"condition":{"pointer":"/status","op":"eq","value":"Pilot"},"action":{"type":"slack","webhook":"{{{TelemetryHostFixture.WebhookName}}}","template":"{{/id}} is in {{/status}}"}}
        """;

    [Fact]
    public async Task ScriptedRun_AlertSuppressedCompactionDrift_EachMetricMovesByExactlyThatMuch()
    {
        var before = Read();

        // A rule whose alert fires for V7301; the same snapshot version written again: same dedupe key, not re-posted.
        Assert.Equal("Completed", await WriteAsync("rules/RULE-M1", PilotRule));
        Assert.Equal("Completed", await WriteAsync("ventures/V7301", PilotVenture));
        Assert.Equal("Completed", await WriteAsync("ventures/V7301", PilotVenture));
        var post = Assert.Single(fixture.Webhook.Requests);
        Assert.Equal("""{"text":"V7301 is in Pilot"}""", post.Body);
        Assert.NotEmpty(post.Key);

        // A second venture (no alert: not in Pilot), then one compaction of the venture manifest: two entries.
        Assert.Equal("Completed", await WriteAsync("ventures/V7302", TelemetryHostFixture.Venture));
        var client = fixture.Host.Services.GetRequiredService<DurableTaskClient>();
        var compaction = await client.ScheduleNewOrchestrationInstanceAsync(nameof(CompactManifestOrchestrator), new CompactManifestInput("dev", "venture"));
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            var done = await client.WaitForInstanceCompletionAsync(compaction, getInputsAndOutputs: true, timeout.Token);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
            var result = done.ReadOutputAs<CompactManifestResult>()!;
            Assert.True(result.Published);
            Assert.Equal(2, result.Entries);
        }

        // The ops drift check: clean, then after editing V7302's snapshot behind the system's back, one drifted entity.
        var clean = await VerifyAsync();
        Assert.True(clean["consistent"]!.GetValue<bool>(), clean.ToJsonString());
        Assert.Equal(2, clean["entitiesChecked"]!.GetValue<int>());
        using (var storage = new HttpClient { BaseAddress = fixture.Host.GcsBaseUri })
        {
            var name = Uri.EscapeDataString("env/dev/snapshots/ventures/V7302.json");
            using var upload = await storage.PostAsync(new Uri($"upload/storage/v1/b/{fixture.Host.Settings.Bucket}/o?uploadType=media&name={name}", UriKind.Relative),
                new StringContent(TelemetryHostFixture.Venture.Replace("Ann", "Hand", StringComparison.Ordinal), Encoding.UTF8, "application/json"));
            Assert.True(upload.IsSuccessStatusCode);
        }

        var drifted = await VerifyAsync();
        Assert.False(drifted["consistent"]!.GetValue<bool>());
        Assert.Equal(1, drifted["driftedEntities"]!.GetValue<int>());
        Assert.All(drifted["differences"]!.AsArray(), d => Assert.Equal("V7302", d!["id"]!.GetValue<string>()));

        var after = Read();
        var delta = after.ToDictionary(p => p.Key, p => p.Value - before[p.Key]);
        Assert.Equal(1, delta["alerts.sent"]);
        Assert.Equal(1, delta["alerts.sent.delivered"]);
        Assert.Equal(1, delta["alerts.suppressed"]);
        Assert.Equal(1, delta["alerts.suppressed.other_owner"]); // the second write's instance found the first one's delivered record
        Assert.Equal(1, delta["compaction.runs"]);
        Assert.Equal(1, delta["compaction.runs.published"]);
        Assert.Equal(2, delta["compaction.entries"]);
        Assert.Equal(2, delta["verify.runs"]);
        Assert.Equal(1, delta["verify.runs.consistent"]);
        Assert.Equal(1, delta["verify.runs.drift"]);
        Assert.Equal(1, delta["verify.drift"]);
    }

    private async Task<string> WriteAsync(string path, string body)
    {
        using var response = await fixture.Http.PutAsync(new Uri($"api/dev/{path}", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True((int)response.StatusCode == 202, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var accepted = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return (await fixture.WaitAsync(accepted))["runtimeStatus"]!.GetValue<string>();
    }

    private async Task<JsonObject> VerifyAsync()
    {
        using var response = await fixture.Http.PostAsync(new Uri("api/ops/verify/dev/ventures", UriKind.Relative), null);
        Assert.Equal(200, (int)response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private Dictionary<string, double> Read() => new()
    {
        ["alerts.sent"] = fixture.Read("ecco.alerts.sent"),
        ["alerts.sent.delivered"] = fixture.Read("ecco.alerts.sent", ("ecco.outcome", "delivered")),
        ["alerts.suppressed"] = fixture.Read("ecco.alerts.suppressed"),
        ["alerts.suppressed.other_owner"] = fixture.Read("ecco.alerts.suppressed", ("ecco.reason", "other_owner")),
        ["compaction.runs"] = fixture.Read("ecco.compaction.runs"),
        ["compaction.runs.published"] = fixture.Read("ecco.compaction.runs", ("ecco.env", "dev"), ("ecco.entity", "venture"), ("ecco.outcome", "published")),
        ["compaction.entries"] = fixture.Read("ecco.compaction.entries", ("ecco.env", "dev"), ("ecco.entity", "venture")),
        ["verify.runs"] = fixture.Read("ecco.verify.runs"),
        ["verify.runs.consistent"] = fixture.Read("ecco.verify.runs", ("ecco.env", "dev"), ("ecco.outcome", "consistent")),
        ["verify.runs.drift"] = fixture.Read("ecco.verify.runs", ("ecco.env", "dev"), ("ecco.outcome", "drift")),
        ["verify.drift"] = fixture.Read("ecco.verify.drift", ("ecco.env", "dev"), ("ecco.entity", "venture")),
    };
}
