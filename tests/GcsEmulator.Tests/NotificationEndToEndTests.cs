using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Testing;
using Google.Apis.Storage.v1.Data;
using Google.Cloud.Storage.V1;

namespace EccoStudio.GcsEmulator.Tests;

/// <summary>
/// Bucket notifications end to end: notification configs created with the real Google.Cloud.Storage.V1 client, objects
/// written with it, messages pulled from the REAL Pub/Sub emulator.
/// </summary>
[Collection(PubSubEmulatorFixture.CollectionName)]
public sealed class NotificationEndToEndTests(PubSubEmulatorFixture pubsub) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private GcsEmulatorServer? _server;
    private StorageClient? _client;

    private GcsEmulatorServer Server => _server!;
    private StorageClient Client => _client!;

    public async Task InitializeAsync()
    {
        _server = await GcsEmulatorServer.StartAsync(new GcsEmulatorOptions { Port = 0, PubSubEmulatorHost = pubsub.Host });
        _client = GcsEmulatorFixture.CreateClient(_server);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Upload_WithNotificationConfig_FinalizeMessageHasEveryAttributeAndTheResource()
    {
        var (bucket, subscription, config) = await SetUpAsync(new Notification { PayloadFormat = "JSON_API_V1" });

        var uploaded = await Client.UploadObjectAsync(bucket, "docs/a.json", "application/json",
            new MemoryStream("{\"a\":1}"u8.ToArray()));

        var message = Assert.Single(await pubsub.PullAtLeastAsync(subscription, 1, Wait));
        var a = message.Attributes;
        Assert.Equal("OBJECT_FINALIZE", a["eventType"]);
        Assert.Equal("JSON_API_V1", a["payloadFormat"]);
        Assert.Equal(bucket, a["bucketId"]);
        Assert.Equal("docs/a.json", a["objectId"]);
        Assert.Equal(uploaded.Generation!.Value.ToString(CultureInfo.InvariantCulture), a["objectGeneration"]);
        Assert.Equal($"projects/_/buckets/{bucket}/notificationConfigs/{config.Id}", a["notificationConfig"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$", a["eventTime"]);
        Assert.False(a.ContainsKey("overwroteGeneration"));
        var resource = JsonNode.Parse(Encoding.UTF8.GetString(message.Data))!.AsObject();
        Assert.Equal("docs/a.json", resource["name"]!.GetValue<string>());
        Assert.Equal(bucket, resource["bucket"]!.GetValue<string>());
        Assert.Equal(a["objectGeneration"], resource["generation"]!.GetValue<string>());
        Assert.Equal("7", resource["size"]!.GetValue<string>());
    }

    [Fact]
    public async Task OverwritePatchDelete_EachPublishesItsEventInOrder()
    {
        var (bucket, subscription, _) = await SetUpAsync(new Notification { PayloadFormat = "JSON_API_V1" });

        var first = await Client.UploadObjectAsync(bucket, "o.txt", "text/plain", new MemoryStream("1"u8.ToArray()));
        var second = await Client.UploadObjectAsync(bucket, "o.txt", "text/plain", new MemoryStream("2"u8.ToArray()));
        second.Metadata = new Dictionary<string, string> { ["k"] = "v" };
        await Client.PatchObjectAsync(second);
        await Client.DeleteObjectAsync(bucket, "o.txt");

        var messages = await pubsub.PullAtLeastAsync(subscription, 5, Wait);
        var byType = messages.GroupBy(m => m.Attributes["eventType"]).ToDictionary(g => g.Key, g => g.ToList());
        string G(long? g) => g!.Value.ToString(CultureInfo.InvariantCulture);

        // Overwriting without versioning: OBJECT_FINALIZE (new, overwroteGeneration) + OBJECT_DELETE (old, overwrittenByGeneration).
        var finalizes = byType["OBJECT_FINALIZE"];
        Assert.Equal(2, finalizes.Count);
        var overwrite = Assert.Single(finalizes, m => m.Attributes["objectGeneration"] == G(second.Generation));
        Assert.Equal(G(first.Generation), overwrite.Attributes["overwroteGeneration"]);
        var deletes = byType["OBJECT_DELETE"];
        var replaced = Assert.Single(deletes, m => m.Attributes["objectGeneration"] == G(first.Generation));
        Assert.Equal(G(second.Generation), replaced.Attributes["overwrittenByGeneration"]);
        Assert.Single(deletes, m => m.Attributes["objectGeneration"] == G(second.Generation)
            && !m.Attributes.ContainsKey("overwrittenByGeneration"));
        var patched = Assert.Single(byType["OBJECT_METADATA_UPDATE"]);
        Assert.Equal(G(second.Generation), patched.Attributes["objectGeneration"]);
        var patchedResource = JsonNode.Parse(Encoding.UTF8.GetString(patched.Data))!.AsObject();
        Assert.Equal("v", patchedResource["metadata"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public async Task Overwrite_VersionedBucket_OldGenerationArchived()
    {
        var (bucket, subscription, _) = await SetUpAsync(new Notification { PayloadFormat = "JSON_API_V1" },
            versioning: true);

        var first = await Client.UploadObjectAsync(bucket, "v.txt", "text/plain", new MemoryStream("1"u8.ToArray()));
        var second = await Client.UploadObjectAsync(bucket, "v.txt", "text/plain", new MemoryStream("2"u8.ToArray()));

        var messages = await pubsub.PullAtLeastAsync(subscription, 3, Wait);
        var archived = Assert.Single(messages, m => m.Attributes["eventType"] == "OBJECT_ARCHIVE");
        Assert.Equal(first.Generation!.Value.ToString(CultureInfo.InvariantCulture), archived.Attributes["objectGeneration"]);
        Assert.Equal(second.Generation!.Value.ToString(CultureInfo.InvariantCulture),
            archived.Attributes["overwrittenByGeneration"]);
        Assert.DoesNotContain(messages, m => m.Attributes["eventType"] == "OBJECT_DELETE");
    }

    [Fact]
    public async Task Filters_PrefixAndEventTypes_OnlyMatchingChangesPublished()
    {
        var (bucket, subscription, _) = await SetUpAsync(new Notification
        {
            PayloadFormat = "JSON_API_V1",
            ObjectNamePrefix = "in/",
            EventTypes = ["OBJECT_DELETE"],
        });

        await Client.UploadObjectAsync(bucket, "in/x", "text/plain", new MemoryStream("x"u8.ToArray()));
        await Client.UploadObjectAsync(bucket, "out/y", "text/plain", new MemoryStream("y"u8.ToArray()));
        await Client.DeleteObjectAsync(bucket, "out/y");
        await Client.DeleteObjectAsync(bucket, "in/x");
        await Client.UploadObjectAsync(bucket, "in/z", "text/plain", new MemoryStream("z"u8.ToArray()));
        await Client.DeleteObjectAsync(bucket, "in/z");

        var messages = await pubsub.PullAtLeastAsync(subscription, 2, Wait);
        // Anything unwanted published before the last delete would have arrived with it (one ordered publisher).
        messages = [.. messages, .. await pubsub.PullAsync(subscription)];

        Assert.Equal(["in/x", "in/z"], messages.Select(m => m.Attributes["objectId"]).Order());
        Assert.All(messages, m => Assert.Equal("OBJECT_DELETE", m.Attributes["eventType"]));
    }

    [Fact]
    public async Task PayloadNone_WithCustomAttributes_EmptyDataAndAttributesKept()
    {
        var (bucket, subscription, _) = await SetUpAsync(new Notification
        {
            PayloadFormat = "NONE",
            CustomAttributes = new Dictionary<string, string> { ["team"] = "ecco" },
        });

        await Client.UploadObjectAsync(bucket, "n.bin", "application/octet-stream", new MemoryStream([1, 2, 3]));

        var message = Assert.Single(await pubsub.PullAtLeastAsync(subscription, 1, Wait));
        Assert.Empty(message.Data);
        Assert.Equal("NONE", message.Attributes["payloadFormat"]);
        Assert.Equal("ecco", message.Attributes["team"]);
        Assert.Equal("n.bin", message.Attributes["objectId"]);
    }

    private async Task<(string Bucket, string Subscription, Notification Config)> SetUpAsync(Notification notification,
        bool versioning = false)
    {
        var topic = PubSubEmulatorFixture.UniqueName("gcs-topic");
        var subscription = PubSubEmulatorFixture.UniqueName("gcs-sub");
        await pubsub.CreateTopicAsync(topic);
        await pubsub.CreatePullSubscriptionAsync(subscription, topic);

        var bucket = $"nt-{Guid.NewGuid():N}"[..20];
        await Client.CreateBucketAsync("ecco-local", new Bucket
        {
            Name = bucket,
            Versioning = versioning ? new Bucket.VersioningData { Enabled = true } : null,
        });
        notification.Topic = $"//pubsub.googleapis.com/{pubsub.TopicPath(topic)}";
        var created = await Client.CreateNotificationAsync(bucket, notification);
        Assert.False(string.IsNullOrEmpty(created.Id));
        return (bucket, subscription, created);
    }
}
