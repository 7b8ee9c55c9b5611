using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Notifications;
using static EccoStudio.GcsEmulator.Tests.NotificationTestData;

namespace EccoStudio.GcsEmulator.Tests;

public class NotificationMessageBuilderTests
{
    [Theory]
    [InlineData("//pubsub.googleapis.com/projects/p1/topics/t1")]
    [InlineData("projects/p1/topics/t1")]
    public void TopicTryParse_BothGcsForms_Parse(string value)
    {
        var topic = PubSubTopic.TryParse(value);

        Assert.Equal(new PubSubTopic("p1", "t1"), topic);
        Assert.Equal("projects/p1/topics/t1", topic!.Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("t1")]
    [InlineData("projects/p1/subscriptions/s1")]
    [InlineData("projects//topics/t1")]
    [InlineData("//pubsub.googleapis.com/projects/p1/topics/t1/extra")]
    public void TopicTryParse_NotATopic_Null(string value) => Assert.Null(PubSubTopic.TryParse(value));

    [Fact]
    public void Build_Finalize_CarriesEveryGcsAttributeAndTheResource()
    {
        var config = Config("7", "projects/p/topics/t", custom: new() { ["team"] = "ecco" });
        var change = Change(ObjectEventTypes.Finalize, "bkt", "a/b.json", 1700, config) with { OverwroteGeneration = 1600 };

        var message = Assert.Single(NotificationMessageBuilder.Build(change));

        Assert.Equal("projects/p/topics/t", message.Topic.Path);
        var a = message.Attributes;
        Assert.Equal("projects/_/buckets/bkt/notificationConfigs/7", a["notificationConfig"]);
        Assert.Equal("OBJECT_FINALIZE", a["eventType"]);
        Assert.Equal("JSON_API_V1", a["payloadFormat"]);
        Assert.Equal("bkt", a["bucketId"]);
        Assert.Equal("a/b.json", a["objectId"]);
        Assert.Equal("1700", a["objectGeneration"]);
        Assert.Equal("2026-03-04T05:06:07.123456Z", a["eventTime"]);
        Assert.Equal("1600", a["overwroteGeneration"]);
        Assert.False(a.ContainsKey("overwrittenByGeneration"));
        Assert.Equal("ecco", a["team"]);
        var data = JsonNode.Parse(Encoding.UTF8.GetString(message.Data.Span))!.AsObject();
        Assert.Equal("a/b.json", data["name"]!.GetValue<string>());
        Assert.Equal("1700", data["generation"]!.GetValue<string>());
    }

    [Fact]
    public void Build_PayloadNone_EmptyDataAndNoneAttribute()
    {
        var change = Change(ObjectEventTypes.Delete, "bkt", "x", 5, Config("1", "projects/p/topics/t", payload: "NONE"))
            with { OverwrittenByGeneration = 6 };

        var message = Assert.Single(NotificationMessageBuilder.Build(change));

        Assert.True(message.Data.IsEmpty);
        Assert.Equal("NONE", message.Attributes["payloadFormat"]);
        Assert.Equal("6", message.Attributes["overwrittenByGeneration"]);
    }

    [Fact]
    public void Build_EventTypeAndPrefixFilters_SelectConfigs()
    {
        var all = Config("all", "projects/p/topics/all");
        var deletes = Config("del", "projects/p/topics/del", eventTypes: [ObjectEventTypes.Delete]);
        var logs = Config("logs", "projects/p/topics/logs", prefix: "logs/");
        var empty = Config("empty", "projects/p/topics/empty", eventTypes: []);

        var finalizeData = NotificationMessageBuilder.Build(
            Change(ObjectEventTypes.Finalize, "b", "data/1", 1, all, deletes, logs, empty));
        var deleteLog = NotificationMessageBuilder.Build(
            Change(ObjectEventTypes.Delete, "b", "logs/1", 1, all, deletes, logs, empty));

        Assert.Equal(["all", "empty"], finalizeData.Select(m => m.Topic.Topic));
        Assert.Equal(["all", "del", "logs", "empty"], deleteLog.Select(m => m.Topic.Topic));
    }

    [Fact]
    public void Build_CustomAttributeNamedLikeAStandardOne_StandardWins()
    {
        var config = Config("1", "projects/p/topics/t", custom: new() { ["eventType"] = "spoofed", ["k"] = "v" });

        var message = Assert.Single(NotificationMessageBuilder.Build(Change(ObjectEventTypes.Finalize, "b", "o", 1, config)));

        Assert.Equal("OBJECT_FINALIZE", message.Attributes["eventType"]);
        Assert.Equal("v", message.Attributes["k"]);
    }

    [Fact]
    public void Build_BadTopic_SkippedAndReported()
    {
        var skipped = new List<string>();

        var messages = NotificationMessageBuilder.Build(
            Change(ObjectEventTypes.Finalize, "b", "o", 1, Config("bad", "not-a-topic"), Config("ok", "projects/p/topics/t")),
            c => skipped.Add(c.Id));

        Assert.Equal("t", Assert.Single(messages).Topic.Topic);
        Assert.Equal(["bad"], skipped);
    }
}
