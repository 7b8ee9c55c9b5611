using System.Text.Json.Nodes;
using EccoStudio.Api.Writes;
using EccoStudio.Host.Dev;
using EccoStudio.Host.Dlq;
using EccoStudio.Host.Provision;
using EccoStudio.Host.Tests.Fakes;
using EccoStudio.Provisioning.PubSub;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Layout;
using EccoStudio.Testing;
using Google.Cloud.Storage.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit.Abstractions;

namespace EccoStudio.Host.Tests;

/// <summary>
/// The delivery path exactly as <c>provision</c> declares it, on the emulators: the dev host's GCS emulator publishes to
/// the REAL Pub/Sub emulator, provision creates topic, notification config, push subscription (1–2 s retry, 5
/// attempts) and dead-letter topic + ops subscription; writes reach the bridge; a bridge that keeps failing a push
/// (500) sends the message to the dead-letter topic after 5 attempts, and <c>dlq replay</c> reconciles it.
/// </summary>
[Collection(PubSubEmulatorFixture.CollectionName)]
public sealed class ProvisionedPathTests(PubSubEmulatorFixture pubsub, ITestOutputHelper log) : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "ecco-provisioned-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly SwitchableScheduler _scheduler = new(new DurableWorkScheduler());
    private DevHost _host = null!;
    private StorageClient _storage = null!;
    private BucketProbe _bucket = null!;
    private PubSubRestClient _pubsub = null!;

    public async Task InitializeAsync()
    {
        _host = await DevHost.StartAsync(new DevSettings
        {
            Port = 0,
            GcsPort = 0,
            DataDirectory = _data,
            PubSubEmulator = pubsub.Host,
            PubSubProject = pubsub.ProjectId,
            WirePubSub = false,
            Bucket = "ecco-prov-" + _suffix,
        }, configureServices: s => s.Replace(ServiceDescriptor.Singleton<IEntityWorkScheduler>(_scheduler)));
        _storage = new StorageClientBuilder { BaseUri = new Uri(_host.GcsBaseUri, "storage/v1/").ToString(), UnauthenticatedAccess = true }.Build();
        _bucket = new BucketProbe(_storage, _host.Settings.Bucket);
        _pubsub = PubSubRestClient.ForEmulator(pubsub.Host);
    }

    public async Task DisposeAsync()
    {
        _pubsub.Dispose();
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

    private string Topic => "events-" + _suffix;

    private string DeadLetterSubscription => "dead-ops-" + _suffix;

    private async Task ProvisionAsync()
    {
        var config = Path.Combine(_data, "gcp.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "environments": ["dev"],
              "pubSub": {
                "topic": "{{Topic}}", "subscription": "bridge-{{_suffix}}",
                "deadLetterTopic": "dead-{{_suffix}}", "deadLetterSubscription": "{{DeadLetterSubscription}}",
                "pushServiceAccount": "push@{project}.iam.gserviceaccount.com",
                "audience": "https://app.example.net/api/pubsub/gcs-events",
                "ackDeadlineSeconds": 10, "minimumBackoffSeconds": 1, "maximumBackoffSeconds": 2, "maxDeliveryAttempts": 5
              },
              "iam": { "writer": "serviceAccount:writer@{project}.iam.gserviceaccount.com" }
            }
            """);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await ProvisionRunner.RunAsync(new ProvisionSettings
        {
            Project = pubsub.ProjectId,
            Bucket = _host.Settings.Bucket,
            ConfigFile = config,
            Apply = true,
            PushEndpoint = _host.BridgeUri.ToString(),
            Gcs = _host.GcsBaseUri,
            PubSub = pubsub.Host,
        }, output, error, default);
        log.WriteLine(output.ToString());
        Assert.True(exit == 0, $"provision exited {exit}: {error}");
    }

    private static (string Name, string Json) Record(string id, DateTimeOffset updatedAt, string status)
    {
        var name = ObjectPaths.History(EntityTarget.Of("dev", "venture", id), new HistoryKey(updatedAt, Ulid.NewUlid(updatedAt)));
        var json = new JsonObject
        {
            ["id"] = id,
            ["entity"] = "venture",
            ["env"] = "dev",
            ["schema_version"] = "1.0.0",
            ["created_at"] = "2025-01-01T00:00:00Z",
            ["updated_at"] = Rfc3339.Format(updatedAt),
            ["lead"] = "Ada",
            ["status"] = status,
            ["milestones"] = new JsonArray(),
            ["budget"] = new JsonObject { ["plannedUSD"] = 100, ["spentUSD"] = 1 },
            ["kpis"] = new JsonObject { ["MRR"] = 0, ["userCount"] = 0, ["churnRate"] = 0 },
        }.ToJsonString();
        return (name, json);
    }

    private async Task<string?> StatusAsync(string id) =>
        await _bucket.TryReadAsync($"env/dev/snapshots/ventures/{id}.json") is { } text ? JsonNode.Parse(text)!["status"]?.GetValue<string>() : null;

    [Fact]
    public async Task Provision_WriteReachesBridge_RefusedPushDeadLettersAfterFiveAttempts_DlqReplayReconciles()
    {
        await ProvisionAsync();

        // Deliveries per write with the env-wide notification config: a capture subscription sees every notification.
        var capture = $"projects/{pubsub.ProjectId}/subscriptions/capture-{_suffix}";
        await _pubsub.CreateSubscriptionAsync(capture, new JsonObject { ["topic"] = $"projects/{pubsub.ProjectId}/topics/{Topic}" }, default);
        var id = "V-PROV-" + _suffix;
        using (var http = new HttpClient { BaseAddress = _host.BaseUri })
        {
            using var put = await http.PutAsync(new Uri($"api/dev/ventures/{id}", UriKind.Relative), DevHostFixture.Json(
                """{"schema_version":"1.0.0","lead":"Ada","status":"Pilot","milestones":[],"budget":{"plannedUSD":1,"spentUSD":0},"kpis":{"MRR":0,"userCount":0,"churnRate":0}}"""));
            Assert.Equal(202, (int)put.StatusCode);
            var status = put.Headers.Location!;
            Assert.True(await BucketProbe.EventuallyAsync(async () =>
            {
                using var poll = await http.GetAsync(status);
                return (int)poll.StatusCode == 200;
            }), "the API write did not complete");
        }

        var written = (await _bucket.ListAsync("env/dev/")).Where(n => n.Contains(id, StringComparison.Ordinal)).ToList();
        var seen = new List<PulledMessage>();
        Assert.True(await BucketProbe.EventuallyAsync(async () =>
        {
            var batch = await _pubsub.PullAsync(capture, 100, default);
            await _pubsub.AcknowledgeAsync(capture, batch.Select(m => m.AckId).ToList(), default);
            seen.AddRange(batch.Where(m => m.Attributes.GetValueOrDefault("objectId")?.Contains(id, StringComparison.Ordinal) == true));
            return written.All(w => seen.Any(m => m.Attributes["objectId"] == w));
        }), $"not every object of the write was notified: {string.Join(", ", written)}");
        var perKind = seen.Count(m => m.Attributes["objectId"].Contains("/history/", StringComparison.Ordinal) || m.Attributes["objectId"].Contains("/snapshots/", StringComparison.Ordinal));
        log.WriteLine($"deliveries for one first write: env-wide config {seen.Count} ({written.Count} objects), history+snapshots only {perKind}");
        Assert.Equal(2, perKind);
        Assert.True(seen.Count >= written.Count);

        // A history object uploaded straight to the bucket reaches the bridge through the provisioned subscription.
        var direct = "V-DIRECT-" + _suffix;
        var first = Record(direct, new DateTimeOffset(2025, 4, 1, 8, 0, 0, TimeSpan.Zero), "Pilot");
        await _bucket.UploadAsync(first.Name, first.Json);
        Assert.True(await BucketProbe.EventuallyAsync(async () => await StatusAsync(direct) == "Pilot"), "the upload did not reach the bridge");

        // The bridge now fails every reconcile start (500): the next change is dead-lettered after maxDeliveryAttempts = 5.
        _scheduler.Refuse = true;
        var second = Record(direct, new DateTimeOffset(2025, 4, 2, 8, 0, 0, TimeSpan.Zero), "Scale");
        await _bucket.UploadAsync(second.Name, second.Json);
        var dlq = $"projects/{pubsub.ProjectId}/subscriptions/{DeadLetterSubscription}";
        PulledMessage? dead = null;
        var deadSeen = new List<string>();
        Assert.True(await BucketProbe.EventuallyAsync(async () =>
        {
            var batch = await _pubsub.PullAsync(dlq, 100, default);
            dead ??= batch.FirstOrDefault(m => m.Attributes.GetValueOrDefault("objectId") == second.Name);
            deadSeen.AddRange(batch.Select(m => m.Attributes.GetValueOrDefault("objectId") ?? "?"));
            await _pubsub.NackAsync(dlq, batch.Select(m => m.AckId).ToList(), default); // leave them for dlq replay
            return dead is not null;
        }, TimeSpan.FromSeconds(120)), $"the refused notification never reached the dead-letter topic; {_scheduler.Refused} refusals; dead-letter saw {string.Join(",", deadSeen.Distinct())}; subscription "
            + (await _pubsub.GetSubscriptionAsync($"projects/{pubsub.ProjectId}/subscriptions/bridge-{_suffix}", default))?.ToJsonString());
        Assert.Equal("5", dead!.Attributes["CloudPubSubDeadLetterSourceDeliveryCount"]);
        Assert.True(_scheduler.Refused >= 5);
        Assert.Equal("Pilot", await StatusAsync(direct));

        // dlq replay runs the bridge's logic on it, acks it, and the snapshot catches up; a second run is harmless.
        var settings = new DlqReplaySettings
        {
            Project = pubsub.ProjectId,
            Subscription = DeadLetterSubscription,
            Bucket = _host.Settings.Bucket,
            Environments = ["dev"],
            Gcs = _host.GcsBaseUri,
            PubSub = pubsub.Host,
        };
        using var output = new StringWriter();
        Assert.Equal(0, await DlqReplayRunner.RunAsync(settings, output, TextWriter.Null, default));
        log.WriteLine(output.ToString());
        Assert.Contains($"{second.Name}: reconciled", output.ToString(), StringComparison.Ordinal);
        Assert.Equal("Scale", await StatusAsync(direct));
        var generation = (await _storage.GetObjectAsync(_host.Settings.Bucket, $"env/dev/snapshots/ventures/{direct}.json")).Generation;

        using var again = new StringWriter();
        Assert.Equal(0, await DlqReplayRunner.RunAsync(settings, again, TextWriter.Null, default));
        log.WriteLine(again.ToString());
        Assert.DoesNotContain(second.Name + ":", again.ToString(), StringComparison.Ordinal);
        Assert.Equal(generation, (await _storage.GetObjectAsync(_host.Settings.Bucket, $"env/dev/snapshots/ventures/{direct}.json")).Generation);
    }
}
