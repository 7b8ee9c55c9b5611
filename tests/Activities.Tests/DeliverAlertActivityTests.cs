using System.Net;
using System.Text.Json.Nodes;
using EccoStudio.Activities.Alerts;
using EccoStudio.Activities.Rules;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Rules;
using EccoStudio.Storage.Store;
using EccoStudio.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EccoStudio.Activities.Tests;

public sealed class DeliverAlertActivityTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    /// <summary>An HttpClientFactory whose handler counts POSTs and answers with a fixed status.</summary>
    private sealed class CountingFactory(HttpStatusCode status) : IHttpClientFactory
    {
        public int Posts { get; private set; }

        public HttpClient CreateClient(string name) => new(new Handler(this), disposeHandler: true);

        private sealed class Handler(CountingFactory owner) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                owner.Posts++;
                return Task.FromResult(new HttpResponseMessage(owner._status));
            }
        }

        private readonly HttpStatusCode _status = status;
    }

    private static readonly WebhookCatalog OpsHook = new(new WebhookOptions
    {
        Webhooks = { ["ops-hook"] = "https://hooks.slack.com/services/T000/B000/not-a-real-secret" },
    });

    private static AlertMessage Alert(string key) =>
        new("RULE-1", "V1", "slack", "ops-hook", """{"text":"hi"}""", key);

    private static DeliverAlertActivity Activity(Storage.Composition.StorageContext storage, IHttpClientFactory http) =>
        new(storage, http, new AlertDeliveryOptions { MaxPostAttempts = 2, RetryDelay = TimeSpan.FromMilliseconds(1) }, NullLogger<DeliverAlertActivity>.Instance);

    [Fact]
    public async Task RunAsync_RunTwice_PostsOnce()
    {
        var storage = (await Buckets.NewContextAsync(emulator)) with { Webhooks = OpsHook };
        var http = new CountingFactory(HttpStatusCode.OK);
        var input = new DeliverAlertInput("dev", Alert("k1"), "owner-1", DateTimeOffset.Parse("2025-11-06T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

        var first = await Activity(storage, http).RunAsync(new FakeActivityContext(nameof(DeliverAlertActivity), "owner-1"), input);
        var second = await Activity(storage, http).RunAsync(new FakeActivityContext(nameof(DeliverAlertActivity), "owner-1"), input);

        Assert.Equal((AlertDeliveryState.Delivered, 1), (first.State, first.PostsThisRun));
        Assert.Equal((AlertDeliveryState.Delivered, 0), (second.State, second.PostsThisRun));
        Assert.Equal(1, http.Posts);
    }

    [Fact]
    public async Task RunAsync_RecordLeftPostingByACrash_MarksUnknownAndDoesNotPost()
    {
        var storage = (await Buckets.NewContextAsync(emulator)) with { Webhooks = OpsHook };
        var name = ObjectPaths.Log("dev", "alerts/k2.json");
        var record = new JsonObject { ["dedupe_key"] = "k2", ["owner"] = "owner-2", ["state"] = AlertDeliveryState.Posting, ["attempts"] = 1 };
        await storage.Store.PutAsync(storage.Bucket("dev"), name, JsonText.ToBytes(record), PutOptions.CreateOnly);
        var http = new CountingFactory(HttpStatusCode.OK);

        var result = await Activity(storage, http).RunAsync(new FakeActivityContext(nameof(DeliverAlertActivity), "owner-2"),
            new DeliverAlertInput("dev", Alert("k2"), "owner-2", DateTimeOffset.UnixEpoch));

        Assert.Equal(AlertDeliveryState.Unknown, result.State);
        Assert.Equal(0, http.Posts);
        var stored = JsonText.ParseObject((await storage.Store.GetAsync(storage.Bucket("dev"), name))!.Content.Span);
        Assert.Equal(AlertDeliveryState.Unknown, stored["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunAsync_RecordOwnedByAnotherInstance_DoesNotPost()
    {
        var storage = (await Buckets.NewContextAsync(emulator)) with { Webhooks = OpsHook };
        var name = ObjectPaths.Log("dev", "alerts/k3.json");
        var record = new JsonObject { ["dedupe_key"] = "k3", ["owner"] = "someone-else", ["state"] = AlertDeliveryState.Claimed, ["attempts"] = 0 };
        await storage.Store.PutAsync(storage.Bucket("dev"), name, JsonText.ToBytes(record), PutOptions.CreateOnly);
        var http = new CountingFactory(HttpStatusCode.OK);

        var result = await Activity(storage, http).RunAsync(new FakeActivityContext(nameof(DeliverAlertActivity), "me"),
            new DeliverAlertInput("dev", Alert("k3"), "me", DateTimeOffset.UnixEpoch));

        Assert.Equal(AlertDeliveryState.Claimed, result.State);
        Assert.Equal(0, http.Posts);
    }

    [Fact]
    public async Task RunAsync_Webhook503EveryTime_ThrowsTransientAndLeavesRetryable_ThenRetryPosts()
    {
        var storage = (await Buckets.NewContextAsync(emulator)) with { Webhooks = OpsHook };
        var failing = new CountingFactory(HttpStatusCode.ServiceUnavailable);
        var input = new DeliverAlertInput("dev", Alert("k4"), "owner-4", DateTimeOffset.UnixEpoch);

        await Assert.ThrowsAsync<AlertDeliveryException>(() => Activity(storage, failing).RunAsync(new FakeActivityContext(nameof(DeliverAlertActivity), "owner-4"), input));
        Assert.Equal(2, failing.Posts);
        var name = ObjectPaths.Log("dev", "alerts/k4.json");
        Assert.Equal(AlertDeliveryState.Retryable,
            JsonText.ParseObject((await storage.Store.GetAsync(storage.Bucket("dev"), name))!.Content.Span)["state"]!.GetValue<string>());

        var working = new CountingFactory(HttpStatusCode.NoContent);
        var retried = await Activity(storage, working).RunAsync(new FakeActivityContext(nameof(DeliverAlertActivity), "owner-4"), input);
        Assert.Equal(AlertDeliveryState.Delivered, retried.State);
        Assert.Equal(1, working.Posts);
    }

    [Fact]
    public async Task RunAsync_Webhook400_IsRejectedAndNotRetried()
    {
        var storage = (await Buckets.NewContextAsync(emulator)) with { Webhooks = OpsHook };
        var http = new CountingFactory(HttpStatusCode.BadRequest);
        var result = await Activity(storage, http).RunAsync(new FakeActivityContext(nameof(DeliverAlertActivity), "o5"),
            new DeliverAlertInput("dev", Alert("k5"), "o5", DateTimeOffset.UnixEpoch));
        Assert.Equal((AlertDeliveryState.Rejected, 1, "HTTP 400"), (result.State, http.Posts, result.LastError));
    }

    [Fact]
    public async Task RunAsync_WebhookNotConfigured_RejectedWithoutPosting()
    {
        var storage = (await Buckets.NewContextAsync(emulator)) with { Webhooks = OpsHook };
        var http = new CountingFactory(HttpStatusCode.OK);
        var alert = Alert("k6") with { Webhook = "removed-hook" };

        var result = await Activity(storage, http).RunAsync(new FakeActivityContext(nameof(DeliverAlertActivity), "o6"),
            new DeliverAlertInput("dev", alert, "o6", DateTimeOffset.UnixEpoch));

        Assert.Equal((AlertDeliveryState.Rejected, 0), (result.State, http.Posts));
        Assert.Contains("'removed-hook' is not configured", result.LastError, StringComparison.Ordinal);
    }
}
