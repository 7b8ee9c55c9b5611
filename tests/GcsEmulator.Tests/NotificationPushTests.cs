using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Testing;
using Google.Apis.Storage.v1.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EccoStudio.GcsEmulator.Tests;

/// <summary>OBJECT_FINALIZE delivered by a PUSH subscription of the real Pub/Sub emulator to a local endpoint.</summary>
[Collection(PubSubEmulatorFixture.CollectionName)]
public sealed class NotificationPushTests(PubSubEmulatorFixture pubsub)
{
    [Fact]
    public async Task Upload_PushSubscription_EndpointReceivesFinalizeEnvelope()
    {
        var received = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var receiver = builder.Build();
        receiver.MapPost("/push", async (HttpContext context) =>
        {
            var body = await JsonNode.ParseAsync(context.Request.Body);
            received.TrySetResult(body!.AsObject());
            return Results.NoContent();
        });
        await receiver.StartAsync();
        var endpoint = new Uri(new Uri(receiver.Urls.First()), "/push");

        var topic = PubSubEmulatorFixture.UniqueName("push-topic");
        await pubsub.CreateTopicAsync(topic);
        await pubsub.CreatePushSubscriptionAsync(PubSubEmulatorFixture.UniqueName("push-sub"), topic, endpoint);
        await using var server = await GcsEmulatorServer.StartAsync(new GcsEmulatorOptions { Port = 0, PubSubEmulatorHost = pubsub.Host });
        using var client = GcsEmulatorFixture.CreateClient(server);
        var bucket = $"push-{Guid.NewGuid():N}"[..20];
        await client.CreateBucketAsync("ecco-local", bucket);
        await client.CreateNotificationAsync(bucket, new Notification
        {
            Topic = pubsub.TopicPath(topic),
            PayloadFormat = "JSON_API_V1",
        });

        await client.UploadObjectAsync(bucket, "pushed.txt", "text/plain", new MemoryStream("p"u8.ToArray()));
        var envelope = await received.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await receiver.StopAsync();

        var message = envelope["message"]!;
        Assert.Equal("OBJECT_FINALIZE", message["attributes"]!["eventType"]!.GetValue<string>());
        Assert.Equal("pushed.txt", message["attributes"]!["objectId"]!.GetValue<string>());
        var resource = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(message["data"]!.GetValue<string>())));
        Assert.Equal(bucket, resource!["bucket"]!.GetValue<string>());
        Assert.EndsWith("push-sub", envelope["subscription"]!.GetValue<string>()[..^13], StringComparison.Ordinal);
    }
}
