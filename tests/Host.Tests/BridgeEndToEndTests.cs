using System.Text.Json.Nodes;
using EccoStudio.Api.Writes;
using EccoStudio.Host.Dev;
using EccoStudio.Host.Tests.Fakes;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Layout;
using EccoStudio.Testing;
using Google.Cloud.Storage.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EccoStudio.Host.Tests;

/// <summary>
/// The Pub/Sub bridge with the REAL Pub/Sub emulator: the dev host wires bucket notifications → topic → push
/// subscription → <c>/api/pubsub/gcs-events</c>; history objects are uploaded straight to the bucket with the Google
/// client (bypassing the API) and the reconcile builds snapshot, manifest entry and index pointers.
/// </summary>
[Collection(PubSubEmulatorFixture.CollectionName)]
public sealed class BridgeEndToEndTests(PubSubEmulatorFixture pubsub) : IAsyncLifetime, IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "ecco-bridge-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly CountingScheduler _scheduler = new(new DurableWorkScheduler());
    private DevHost _host = null!;
    private HttpClient _http = null!;
    private StorageClient _storage = null!;
    private BucketProbe _bucket = null!;

    public async Task InitializeAsync()
    {
        _host = await DevHost.StartAsync(new DevSettings
        {
            Port = 0,
            GcsPort = 0,
            DataDirectory = _data,
            PubSubEmulator = pubsub.Host,
            PubSubProject = pubsub.ProjectId,
            PubSubTopic = PubSubEmulatorFixture.UniqueName("gcs-events"),
            PubSubSubscription = PubSubEmulatorFixture.UniqueName("bridge"),
            Bucket = "ecco-bridge-" + Guid.NewGuid().ToString("N")[..10],
        }, configureServices: s => s.Replace(ServiceDescriptor.Singleton<IEntityWorkScheduler>(_scheduler)));
        _http = new HttpClient { BaseAddress = _host.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        _storage = new StorageClientBuilder { BaseUri = new Uri(_host.GcsBaseUri, "storage/v1/").ToString(), UnauthenticatedAccess = true }.Build();
        _bucket = new BucketProbe(_storage, _host.Settings.Bucket);
    }

    public void Dispose() => _http?.Dispose();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _storage.Dispose();
        await _host.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private static string NewId(string tag) => $"V-{tag}-{Guid.NewGuid().ToString("N")[..6]}";

    private static (string Name, string Json) Record(string id, DateTimeOffset updatedAt, string lead, string status, int spent)
    {
        var target = EntityTarget.Of("dev", "venture", id);
        var name = ObjectPaths.History(target, new HistoryKey(updatedAt, Ulid.NewUlid(updatedAt)));
        var json = new JsonObject
        {
            ["id"] = id,
            ["entity"] = "venture",
            ["env"] = "dev",
            ["schema_version"] = "1.1.0",
            ["created_at"] = "2025-01-01T00:00:00Z",
            ["updated_at"] = Rfc3339.Format(updatedAt),
            ["lead"] = lead,
            ["status"] = status,
            ["milestones"] = new JsonArray(),
            ["budget"] = new JsonObject { ["plannedUSD"] = 100, ["spentUSD"] = spent },
            ["kpis"] = new JsonObject { ["MRR"] = 0, ["userCount"] = 0, ["churnRate"] = 0 },
            ["reportingCurrency"] = "USD",
        }.ToJsonString();
        return (name, json);
    }

    private static string Snapshot(string id) => $"env/dev/snapshots/ventures/{id}.json";

    private static string ManifestEntry(string id) => $"env/dev/manifests/ventures/entries/{id}.json";

    private async Task<string?> SnapshotStatusAsync(string id) =>
        await _bucket.TryReadAsync(Snapshot(id)) is { } text ? JsonNode.Parse(text)!["status"]?.GetValue<string>() : null;

    /// <summary>The instances whose id starts with <paramref name="prefix"/>, through the ops API.</summary>
    private async Task<JsonArray> InstancesAsync(string prefix)
    {
        var text = await _http.GetStringAsync(new Uri($"runtime/webhooks/durabletask/instances?top=1000&instanceIdPrefix={Uri.EscapeDataString(prefix)}", UriKind.Relative));
        return JsonNode.Parse(text)!.AsArray();
    }

    private async Task<bool> AllCompletedAsync(string prefix) =>
        await InstancesAsync(prefix) is { Count: > 0 } instances && instances.All(i => i!["runtimeStatus"]!.GetValue<string>() == "Completed");

    [Fact]
    public async Task Upload_HistoryObjectStraightToBucket_BuildsSnapshotManifestEntryAndPointers()
    {
        var id = NewId("UP");
        var (name, json) = Record(id, new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero), "Grace", "Pilot", 7);

        await _bucket.UploadAsync(name, json);

        var pointers = new[] { $"env/dev/indices/ventures/by-status/Pilot/{id}.json", $"env/dev/indices/ventures/by-lead/Grace/{id}.json" };
        var built = await BucketProbe.EventuallyAsync(async () =>
            await _bucket.TryReadAsync(Snapshot(id)) is not null
            && await _bucket.TryReadAsync(ManifestEntry(id)) is not null
            && (await _bucket.ListAsync($"env/dev/indices/ventures/")).Intersect(pointers).Count() == pointers.Length);
        Assert.True(built, $"snapshot, manifest entry and pointers of {id} did not appear; bucket has: {string.Join(", ", await _bucket.ListAsync("env/dev/"))}");

        Assert.Equal(JsonNode.Parse(json)!.ToJsonString(), JsonNode.Parse((await _bucket.TryReadAsync(Snapshot(id)))!)!.ToJsonString());
        var entry = JsonNode.Parse((await _bucket.TryReadAsync(ManifestEntry(id)))!)!;
        Assert.Equal(id, entry["id"]!.GetValue<string>());
        var pointer = JsonNode.Parse((await _bucket.TryReadAsync(pointers[0]))!)!;
        Assert.Equal(Snapshot(id), pointer["ptr"]!.GetValue<string>());

        var read = JsonNode.Parse(await _http.GetStringAsync(new Uri($"api/dev/ventures/{id}", UriKind.Relative)))!;
        Assert.Equal("Grace", read["lead"]!.GetValue<string>());
        Assert.Contains(_scheduler.Reconciles, r => r.Trigger == "gcs:" + name && r.Started);
    }

    [Fact]
    public async Task Upload_OutOfOrderAndRepublishedThreeTimes_EndsLikeInOrderWithOneReconcilePerChange()
    {
        var capture = PubSubEmulatorFixture.UniqueName("capture");
        await pubsub.CreatePullSubscriptionAsync(capture, _host.Settings.PubSubTopic);
        var t1 = new DateTimeOffset(2025, 1, 10, 9, 0, 0, TimeSpan.Zero);
        var t2 = new DateTimeOffset(2025, 2, 10, 9, 0, 0, TimeSpan.Zero);

        // In order: the older record lands and is reflected before the newer one is uploaded.
        var inOrder = NewId("IN");
        var in1 = Record(inOrder, t1, "Ann", "Idea", 1);
        var in2 = Record(inOrder, t2, "Bob", "Pilot", 5);
        await _bucket.UploadAsync(in1.Name, in1.Json);
        Assert.True(await BucketProbe.EventuallyAsync(async () => await SnapshotStatusAsync(inOrder) == "Idea"), "in-order first record not reflected");
        await _bucket.UploadAsync(in2.Name, in2.Json);

        // Out of order: the newer record first, then the older one.
        var outOfOrder = NewId("OUT");
        var out2 = Record(outOfOrder, t2, "Bob", "Pilot", 5);
        var out1 = Record(outOfOrder, t1, "Ann", "Idea", 1);
        await _bucket.UploadAsync(out2.Name, out2.Json);
        await _bucket.UploadAsync(out1.Name, out1.Json);

        var inPrefix = $"reconcile:dev:venture:{inOrder}:";
        var outPrefix = $"reconcile:dev:venture:{outOfOrder}:";
        Assert.True(await BucketProbe.EventuallyAsync(async () =>
            await SnapshotStatusAsync(inOrder) == "Pilot" && await SnapshotStatusAsync(outOfOrder) == "Pilot"
            && _scheduler.Reconciles.Any(r => r.Trigger == "gcs:" + out1.Name)
            && await AllCompletedAsync(inPrefix) && await AllCompletedAsync(outPrefix)), "both entities did not converge");

        // The notification of the older record, exactly as GCS published it, published again three times.
        PubSubReceivedMessage? original = null;
        Assert.True(await BucketProbe.EventuallyAsync(async () =>
        {
            original ??= (await pubsub.PullAsync(capture)).FirstOrDefault(m => m.Attributes.GetValueOrDefault("objectId") == out1.Name);
            return original is not null;
        }), "the notification of the older record was not captured");
        for (var i = 0; i < 3; i++)
        {
            await pubsub.PublishAsync(_host.Settings.PubSubTopic, new PubSubOutgoingMessage(original!.Data, original.Attributes));
        }

        var out1Reconcile = _scheduler.Reconciles.First(r => r.Trigger == "gcs:" + out1.Name).InstanceId;
        Assert.True(await BucketProbe.EventuallyAsync(() => Task.FromResult(_scheduler.Reconciles.Count(r => r.InstanceId == out1Reconcile) >= 4)),
            "the republished notifications did not reach the bridge");
        Assert.True(await BucketProbe.EventuallyAsync(() => AllCompletedAsync(outPrefix)));

        // At most one reconcile per entity change (history object): duplicates were refused, not started.
        Assert.Single(_scheduler.Reconciles, r => r.InstanceId == out1Reconcile && r.Started);
        var outInstances = await InstancesAsync(outPrefix);
        Assert.InRange(outInstances.Count, 1, 2);
        Assert.Equal(outInstances.Count, _scheduler.Reconciles.Where(r => r.InstanceId.StartsWith(outPrefix, StringComparison.Ordinal)).Select(r => r.InstanceId).Distinct().Count());
        Assert.InRange((await InstancesAsync(inPrefix)).Count, 1, 2);

        // Same final state: snapshot, manifest entry and every pointer, byte for byte once the ids are aligned.
        Assert.Equal(await StateAsync(inOrder), await StateAsync(outOfOrder));
        Assert.Equal(JsonNode.Parse(out2.Json)!.ToJsonString(), JsonNode.Parse((await _bucket.TryReadAsync(Snapshot(outOfOrder)))!)!.ToJsonString());
    }

    private async Task<IReadOnlyList<string>> StateAsync(string id)
    {
        var state = new List<string>
        {
            (await _bucket.TryReadAsync(Snapshot(id)))!,
            (await _bucket.TryReadAsync(ManifestEntry(id)))!,
        };
        foreach (var pointer in (await _bucket.ListAsync("env/dev/indices/ventures/")).Where(n => n.EndsWith($"/{id}.json", StringComparison.Ordinal)))
        {
            state.Add(pointer + " " + await _bucket.TryReadAsync(pointer));
        }

        return [.. state.Select(s => s.Replace(id, "{id}", StringComparison.Ordinal))];
    }
}
