using EccoStudio.Activities.Alerts;
using EccoStudio.Orchestrations.Tests.Support;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.Json;
using EccoStudio.Testing;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Orchestrations.Tests;

[Trait("Backend", "InMemory")]
public sealed class AlertDeliveryTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    private static async Task<WriteEntityResult> WriteOkAsync(WritePathHarness harness, string entity, string id, string document)
    {
        var done = await harness.WriteAsync(new WriteEntityInput("dev", entity, id, document));
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ErrorMessage);
        return done.ReadOutputAs<WriteEntityResult>()!;
    }

    [Fact]
    public async Task Write_RuleFires_PostsOnceAndRecordsDelivery_EvenWhenTheActivityIsRetried()
    {
        await using var webhook = new WebhookReceiver();
        var ledger = new CrashLedger(name => name == nameof(DeliverAlertActivity));
        await using var harness = await WritePathHarness.StartAsync(emulator, ledger.Decorator, webhooks: Rules.Hook(webhook.Url));
        await WriteOkAsync(harness, "rule", "RULE-PILOT", Rules.PilotAlert("RULE-PILOT"));

        var result = await WriteOkAsync(harness, "venture", "V-AL", Docs.Venture("V-AL", "2025-11-06T10:00:00Z"));

        Assert.Equal(1, ledger.CrashesByActivity[nameof(DeliverAlertActivity)]);
        var post = Assert.Single(webhook.Requests);
        Assert.Equal("""{"text":"V-AL is in Pilot"}""", post.Body);
        var alert = Assert.Single(result.Alerts);
        Assert.Equal(AlertDeliveryState.Delivered, alert.State);
        Assert.Equal(post.Key, alert.DedupeKey);
        var record = JsonText.ParseObject((await harness.ReadTextAsync($"env/dev/logs/alerts/{alert.DedupeKey}.json"))!);
        Assert.Equal(AlertDeliveryState.Delivered, record["state"]!.GetValue<string>());
        Assert.Equal(1, record["attempts"]!.GetValue<int>());

        // The same snapshot version written again (same updated_at): same dedupe key, no second POST.
        var again = await WriteOkAsync(harness, "venture", "V-AL", Docs.Venture("V-AL", "2025-11-06T10:00:00Z"));
        Assert.Single(webhook.Requests);
        Assert.Equal(AlertDeliveryState.Delivered, Assert.Single(again.Alerts).State);
    }

    [Fact]
    public async Task Write_WebhookAnswers503ThenOk_RetriesAndDeliversOnce()
    {
        await using var webhook = new WebhookReceiver();
        webhook.AnswerNext(503);
        await using var harness = await WritePathHarness.StartAsync(emulator, webhooks: Rules.Hook(webhook.Url));
        await WriteOkAsync(harness, "rule", "RULE-PILOT", Rules.PilotAlert("RULE-PILOT"));

        var result = await WriteOkAsync(harness, "venture", "V-AL2", Docs.Venture("V-AL2", "2025-11-06T10:00:00Z"));

        Assert.Equal([503, 200], webhook.Requests.Select(r => r.Status));
        Assert.Single(webhook.Delivered);
        var alert = Assert.Single(result.Alerts);
        Assert.Equal(AlertDeliveryState.Delivered, alert.State);
        Assert.Equal(2, JsonText.ParseObject((await harness.ReadTextAsync($"env/dev/logs/alerts/{alert.DedupeKey}.json"))!)["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task Write_WebhookUnreachable_WriteCompletesAndFailureIsRecordedForOps()
    {
        var deadUrl = $"http://127.0.0.1:{FreePorts.Next()}/hook";
        await using var harness = await WritePathHarness.StartAsync(emulator, configure: o => o.Retry.MaxAttempts = 2, webhooks: Rules.Hook(deadUrl));
        await WriteOkAsync(harness, "rule", "RULE-DEAD", Rules.PilotAlert("RULE-DEAD"));

        var result = await WriteOkAsync(harness, "venture", "V-AL3", Docs.Venture("V-AL3", "2025-11-06T10:00:00Z"));

        Assert.Empty(result.Alerts);
        var ops = Assert.Single(result.OpsRecords);
        Assert.StartsWith("env/dev/logs/ops/alert-failed/", ops, StringComparison.Ordinal);
        var record = JsonText.ParseObject((await harness.ReadTextAsync(ops))!);
        Assert.Contains(nameof(AlertDeliveryException), record["error"]!.GetValue<string>(), StringComparison.Ordinal);
        var delivery = Assert.Single(await harness.ListAsync("env/dev/logs/alerts/"));
        Assert.Equal(AlertDeliveryState.Retryable, JsonText.ParseObject((await harness.ReadTextAsync(delivery))!)["state"]!.GetValue<string>());
        Assert.NotNull(await harness.ReadTextAsync("env/dev/snapshots/ventures/V-AL3.json"));
    }
}
