using System.Globalization;
using System.Text.Json.Nodes;
using EccoStudio.Api.Bridge;
using EccoStudio.Api.Health;
using EccoStudio.Api.Problems;
using EccoStudio.Testing;
using EccoStudio.Testing.Fakes;
using EccoStudio.Triggers.Http;
using EccoStudio.Triggers.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Triggers.Tests;

/// <summary>The Pub/Sub push trigger as a class: the shared bridge handler's outcomes, problems through the worker middleware.</summary>
public sealed class PlatformFunctionsTests(GcsEmulatorFixture gcs) : IClassFixture<GcsEmulatorFixture>, IAsyncLifetime
{
    private string _bucket = "";

    public async Task InitializeAsync() => _bucket = await gcs.CreateBucketAsync(versioning: true);

    public Task DisposeAsync() => Task.CompletedTask;

    private string Push(string objectName, long generation = 1) => new JsonObject
    {
        ["message"] = new JsonObject
        {
            ["messageId"] = "m-" + Guid.NewGuid().ToString("N")[..8],
            ["attributes"] = new JsonObject
            {
                ["eventType"] = "OBJECT_FINALIZE",
                ["bucketId"] = _bucket,
                ["objectId"] = objectName,
                ["objectGeneration"] = generation.ToString(CultureInfo.InvariantCulture),
            },
        },
        ["subscription"] = "projects/ecco-local/subscriptions/ecco-gcs-bridge",
    }.ToJsonString();

    private static async Task<TriggerHarness.Response> PostAsync(TriggerHarness harness, string body, params (string, string)[] headers)
    {
        var functions = new PlatformFunctions(harness.Services.GetRequiredService<HealthHandler>(), harness.Services.GetRequiredService<PubSubBridgeHandler>());
        var http = TriggerHarness.Request("POST", "/api/pubsub/gcs-events", body, headers: headers);
        return await harness.InvokeAsync("PubSubGcsEvents", http, () => functions.PubSubGcsEvents(http.Request, new NoEngineDurableTaskClient()));
    }

    [Fact]
    public async Task PubSubGcsEvents_HistoryObject_StartsOneReconcilePerObjectChange()
    {
        await using var harness = TriggerHarness.Create(gcs, _bucket);
        var name = $"env/dev/ventures/V-B1/history/2025/11/06/2025-11-06T10:18:22Z_{Ulid.NewUlid()}.json";

        var first = await PostAsync(harness, Push(name, 9));
        var again = await PostAsync(harness, Push(name, 9));

        Assert.Equal(202, first.Status);
        Assert.Equal("Started", first.Json!["outcome"]!.GetValue<string>());
        Assert.Equal(200, again.Status);
        Assert.Equal("Duplicate", again.Json!["outcome"]!.GetValue<string>());
        Assert.Equal(first.Json!["instanceId"]!.GetValue<string>(), again.Json!["instanceId"]!.GetValue<string>());
        Assert.Equal(2, harness.Scheduler.Calls.Count);
        Assert.All(harness.Scheduler.Calls, c => Assert.Equal(("reconcile", "dev/venture/V-B1", "gcs:" + name), (c.Kind, c.Target, c.Trigger)));
    }

    [Fact]
    public async Task PubSubGcsEvents_ForeignObject_Is204WithNoBody()
    {
        await using var harness = TriggerHarness.Create(gcs, _bucket);

        var response = await PostAsync(harness, Push("exports/2025/report.csv"));

        Assert.Equal(204, response.Status);
        Assert.Equal("", response.Text);
        Assert.Empty(harness.Scheduler.Calls);
    }

    [Fact]
    public async Task PubSubGcsEvents_MalformedEnvelope_Is400ProblemFromTheMiddleware()
    {
        await using var harness = TriggerHarness.Create(gcs, _bucket);

        var response = await PostAsync(harness, """{"message":{"data":"%%"}}""");

        Assert.Equal(400, response.Status);
        Assert.Equal(Problem.ContentType, response.ContentType);
        Assert.Equal(Problem.TypePrefix + "malformed-push", response.Json!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task PubSubGcsEvents_VerificationOnWithoutToken_Is401Problem()
    {
        await using var harness = TriggerHarness.Create(gcs, _bucket, new Dictionary<string, string?>
        {
            ["Ecco:PubSub:VerifyToken"] = "true",
            ["Ecco:PubSub:Audience"] = "https://ecco.example/api/pubsub/gcs-events",
            ["Ecco:PubSub:ServiceAccountEmail"] = "gcs-bridge@ecco-local.iam.gserviceaccount.com",
        });

        var response = await PostAsync(harness, Push("env/dev/snapshots/ventures/V-B2.json"), ("Authorization", "Basic abc"));

        Assert.Equal(401, response.Status);
        Assert.Equal("Bearer", response.Headers.WWWAuthenticate.ToString());
        Assert.Equal(Problem.TypePrefix + "unauthenticated-push", response.Json!["type"]!.GetValue<string>());
        Assert.Empty(harness.Scheduler.Calls);
    }
}
