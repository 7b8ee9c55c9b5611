using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Notifications;
using EccoStudio.Testing;
using static EccoStudio.GcsEmulator.Tests.NotificationTestData;

namespace EccoStudio.GcsEmulator.Tests;

/// <summary>The publisher against the REAL Pub/Sub emulator (events fed directly, no storage core involved).</summary>
[Collection(PubSubEmulatorFixture.CollectionName)]
public class NotificationPubSubEmulatorTests(PubSubEmulatorFixture pubsub)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Publisher_RealEmulator_DeliversAttributesAndPayloadToPullSubscription()
    {
        var topic = PubSubEmulatorFixture.UniqueName("topic");
        var sub = PubSubEmulatorFixture.UniqueName("sub");
        await pubsub.CreateTopicAsync(topic);
        await pubsub.CreatePullSubscriptionAsync(sub, topic);
        await using var publisher = new PubSubNotificationPublisher(pubsub.Host);

        var json = Config("3", $"//pubsub.googleapis.com/{pubsub.TopicPath(topic)}", custom: new() { ["env"] = "test" });
        var none = Config("4", pubsub.TopicPath(topic), payload: "NONE");
        publisher.OnObjectChanged(Change(ObjectEventTypes.Finalize, "bkt", "x/y.json", 42, json, none)
            with { OverwroteGeneration = 41 });
        await publisher.FlushAsync();

        var received = await pubsub.PullAtLeastAsync(sub, 2, Wait);

        Assert.Equal(2, received.Count);
        var full = Assert.Single(received, m => m.Attributes["payloadFormat"] == "JSON_API_V1");
        Assert.Equal("OBJECT_FINALIZE", full.Attributes["eventType"]);
        Assert.Equal("bkt", full.Attributes["bucketId"]);
        Assert.Equal("x/y.json", full.Attributes["objectId"]);
        Assert.Equal("42", full.Attributes["objectGeneration"]);
        Assert.Equal("41", full.Attributes["overwroteGeneration"]);
        Assert.Equal("projects/_/buckets/bkt/notificationConfigs/3", full.Attributes["notificationConfig"]);
        Assert.Equal("test", full.Attributes["env"]);
        Assert.True(DateTimeOffset.TryParse(full.Attributes["eventTime"], out _));
        var resource = JsonNode.Parse(Encoding.UTF8.GetString(full.Data))!.AsObject();
        Assert.Equal("bkt/x/y.json/42", resource["id"]!.GetValue<string>());

        var bare = Assert.Single(received, m => m.Attributes["payloadFormat"] == "NONE");
        Assert.Empty(bare.Data);
        Assert.Equal("projects/_/buckets/bkt/notificationConfigs/4", bare.Attributes["notificationConfig"]);
    }

    [Fact]
    public async Task Publisher_MissingTopic_DropsAndKeepsPublishingOthers()
    {
        var topic = PubSubEmulatorFixture.UniqueName("topic");
        var sub = PubSubEmulatorFixture.UniqueName("sub");
        await pubsub.CreateTopicAsync(topic);
        await pubsub.CreatePullSubscriptionAsync(sub, topic);
        await using var publisher = new PubSubNotificationPublisher(pubsub.Host);

        publisher.OnObjectChanged(Change(ObjectEventTypes.Finalize, "bkt", "a", 1,
            Config("1", pubsub.TopicPath(PubSubEmulatorFixture.UniqueName("missing")))));
        publisher.OnObjectChanged(Change(ObjectEventTypes.Delete, "bkt", "b", 2, Config("2", pubsub.TopicPath(topic))));
        await publisher.FlushAsync();

        var received = await pubsub.PullAtLeastAsync(sub, 1, Wait);
        Assert.Equal("b", Assert.Single(received).Attributes["objectId"]);
        Assert.Equal(1, publisher.DroppedCount);
    }
}
