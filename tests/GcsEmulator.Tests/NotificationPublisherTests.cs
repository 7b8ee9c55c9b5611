using System.Net;
using EccoStudio.GcsEmulator.Notifications;
using Microsoft.Extensions.Logging.Abstractions;
using static EccoStudio.GcsEmulator.Tests.NotificationTestData;

namespace EccoStudio.GcsEmulator.Tests;

public class NotificationPublisherTests
{
    [Fact]
    public async Task OnObjectChanged_ManyEvents_PublishedInOrderToTheTopicUrl()
    {
        using var fake = new NotificationFakePubSub();
        await using var publisher = new PubSubNotificationPublisher("127.0.0.1:1", NullLogger.Instance, fake);
        var config = Config("1", "//pubsub.googleapis.com/projects/p/topics/t");

        for (var i = 0; i < 20; i++)
        {
            publisher.OnObjectChanged(Change(ObjectEventTypes.Finalize, "b", $"o{i:D2}", i + 1, config));
        }

        await publisher.FlushAsync();

        Assert.Equal(20, fake.Requests.Count);
        Assert.All(fake.Requests, r => Assert.Equal("/v1/projects/p/topics/t:publish", r.Path));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"o{i:D2}"),
            fake.Requests.Select(r => r.Body["messages"]![0]!["attributes"]!["objectId"]!.GetValue<string>()));
        Assert.Equal(20, publisher.PublishedCount);
    }

    [Fact]
    public async Task Publish_TransientFailures_RetriedUntilSuccess()
    {
        using var fake = new NotificationFakePubSub(HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests);
        await using var publisher = new PubSubNotificationPublisher("127.0.0.1:1", NullLogger.Instance, fake);

        publisher.OnObjectChanged(Change(ObjectEventTypes.Finalize, "b", "o", 1, Config("1", "projects/p/topics/t")));
        await publisher.FlushAsync();

        Assert.Equal(3, fake.Requests.Count);
        Assert.Equal(1, publisher.PublishedCount);
        Assert.Equal(0, publisher.DroppedCount);
    }

    [Fact]
    public async Task Publish_PersistentFailure_DroppedAfterBoundedAttemptsAndQueueGoesOn()
    {
        var failures = Enumerable.Repeat(HttpStatusCode.InternalServerError, PubSubNotificationPublisher.MaxAttempts);
        using var fake = new NotificationFakePubSub([.. failures]);
        await using var publisher = new PubSubNotificationPublisher("127.0.0.1:1", NullLogger.Instance, fake);
        var config = Config("1", "projects/p/topics/t");

        publisher.OnObjectChanged(Change(ObjectEventTypes.Finalize, "b", "lost", 1, config));
        publisher.OnObjectChanged(Change(ObjectEventTypes.Finalize, "b", "kept", 2, config));
        await publisher.FlushAsync();

        Assert.Equal(PubSubNotificationPublisher.MaxAttempts + 1, fake.Requests.Count);
        Assert.Equal(1, publisher.DroppedCount);
        Assert.Equal(1, publisher.PublishedCount);
    }

    [Fact]
    public async Task Publish_NotFound_NotRetried()
    {
        using var fake = new NotificationFakePubSub(HttpStatusCode.NotFound);
        await using var publisher = new PubSubNotificationPublisher("127.0.0.1:1", NullLogger.Instance, fake);

        publisher.OnObjectChanged(Change(ObjectEventTypes.Finalize, "b", "o", 1, Config("1", "projects/p/topics/gone")));
        await publisher.FlushAsync();

        Assert.Single(fake.Requests);
        Assert.Equal(1, publisher.DroppedCount);
    }

    [Fact]
    public async Task OnObjectChanged_WhilePubSubHangs_ReturnsAtOnce()
    {
        using var fake = new NotificationFakePubSub { Gate = new TaskCompletionSource() };
        await using var publisher = new PubSubNotificationPublisher("127.0.0.1:1", NullLogger.Instance, fake);
        var config = Config("1", "projects/p/topics/t");

        for (var i = 0; i < 100; i++)
        {
            publisher.OnObjectChanged(Change(ObjectEventTypes.Finalize, "b", $"o{i}", i + 1, config));
        }

        Assert.Equal(0, publisher.PublishedCount);
        fake.Gate.SetResult();
        await publisher.FlushAsync();
        Assert.Equal(100, publisher.PublishedCount);
    }

    [Fact]
    public async Task OnObjectChanged_NoMatchingConfig_PublishesNothing()
    {
        using var fake = new NotificationFakePubSub();
        await using var publisher = new PubSubNotificationPublisher("127.0.0.1:1", NullLogger.Instance, fake);

        publisher.OnObjectChanged(Change(ObjectEventTypes.Finalize, "b", "o", 1));
        publisher.OnObjectChanged(Change(ObjectEventTypes.Finalize, "b", "o", 2,
            Config("1", "projects/p/topics/t", eventTypes: [ObjectEventTypes.Delete])));
        await publisher.FlushAsync();

        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Publish_UnexpectedHandlerException_EventDroppedAndQueueGoesOn()
    {
        using var fake = new NotificationFakePubSub { ThrowOnce = new InvalidOperationException("boom") };
        await using var publisher = new PubSubNotificationPublisher("127.0.0.1:1", NullLogger.Instance, fake);
        var config = Config("1", "projects/p/topics/t");

        publisher.OnObjectChanged(Change(ObjectEventTypes.Finalize, "b", "bad", 1, config));
        publisher.OnObjectChanged(Change(ObjectEventTypes.Finalize, "b", "good", 2, config));
        await publisher.FlushAsync();

        Assert.Equal(1, publisher.DroppedCount);
        Assert.Equal("good", Assert.Single(fake.Requests).Body["messages"]![0]!["attributes"]!["objectId"]!.GetValue<string>());
    }
}
