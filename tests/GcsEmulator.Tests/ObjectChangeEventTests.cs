using System.Collections.Concurrent;
using EccoStudio.GcsEmulator.Notifications;
using EccoStudio.Testing;

namespace EccoStudio.GcsEmulator.Tests;

/// <summary>The store raises committed changes to the extra event sink, in commit order.</summary>
public sealed class ObjectChangeEventTests : IAsyncLifetime
{
    private readonly RecordingSink _sink = new();
    private GcsEmulatorServer? _server;

    private sealed class RecordingSink : IObjectEventSink
    {
        public ConcurrentQueue<ObjectChangeEvent> Events { get; } = new();

        public void OnObjectChanged(ObjectChangeEvent change) => Events.Enqueue(change);
    }

    public async Task InitializeAsync() =>
        _server = await GcsEmulatorServer.StartAsync(new GcsEmulatorOptions { Port = 0, PubSubEmulatorHost = string.Empty, EventSink = _sink });

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    private async Task<IReadOnlyList<ObjectChangeEvent>> WaitForAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (_sink.Events.Count < count)
        {
            await Task.Delay(10, timeout.Token);
        }

        return _sink.Events.ToList();
    }

    [Fact]
    public async Task Mutations_RaiseEventsInCommitOrder()
    {
        using var client = GcsEmulatorFixture.CreateClient(_server!);
        var bucket = "events-" + Guid.NewGuid().ToString("N")[..8];
        await client.CreateBucketAsync("ecco-local", new Google.Apis.Storage.v1.Data.Bucket
        {
            Name = bucket,
            Versioning = new Google.Apis.Storage.v1.Data.Bucket.VersioningData { Enabled = true },
        });
        var config = await client.CreateNotificationAsync(bucket, new Google.Apis.Storage.v1.Data.Notification { Topic = "projects/p/topics/t", PayloadFormat = "JSON_API_V1" });
        var v1 = await client.UploadObjectAsync(bucket, "e", "text/plain", new MemoryStream([1]));
        var v2 = await client.UploadObjectAsync(bucket, "e", "text/plain", new MemoryStream([2]));
        v2.Metadata = new Dictionary<string, string> { ["x"] = "y" };
        await client.PatchObjectAsync(v2);
        await client.DeleteObjectAsync(bucket, "e");
        await client.DeleteObjectAsync(bucket, "e", new Google.Cloud.Storage.V1.DeleteObjectOptions { Generation = v1.Generation });

        var events = await WaitForAsync(6);
        Assert.Equal(
            [
                (ObjectEventTypes.Finalize, v1.Generation!.Value),
                (ObjectEventTypes.Finalize, v2.Generation!.Value),
                (ObjectEventTypes.Archive, v1.Generation!.Value),
                (ObjectEventTypes.MetadataUpdate, v2.Generation!.Value),
                (ObjectEventTypes.Archive, v2.Generation!.Value),
                (ObjectEventTypes.Delete, v1.Generation!.Value),
            ],
            events.Select(e => (e.EventType, e.Generation)));
        Assert.Equal(v1.Generation, events[1].OverwroteGeneration);
        Assert.Equal(v2.Generation, events[2].OverwrittenByGeneration);
        Assert.All(events, e => Assert.Equal(config.Id, Assert.Single(e.NotificationConfigs).Id));
        Assert.Equal("e", (string?)events[0].ObjectResource["name"]);
        Assert.Equal(bucket, events[0].Bucket);
        Assert.Equal("y", (string?)events[3].ObjectResource["metadata"]!["x"]);
    }
}
