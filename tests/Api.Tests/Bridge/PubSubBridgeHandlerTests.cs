using EccoStudio.Api.Bridge;
using EccoStudio.Api.Tests.Fakes;
using EccoStudio.Storage.Composition;
using EccoStudio.Testing;
using EccoStudio.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Api.Tests.Bridge;

/// <summary>What the bridge does with each kind of notification (verification off: the envelope and path decide).</summary>
public sealed class PubSubBridgeHandlerTests(GcsEmulatorFixture gcs) : IClassFixture<GcsEmulatorFixture>, IAsyncLifetime
{
    private readonly RecordingScheduler _scheduler = new();
    private ServiceProvider _services = null!;
    private string _bucket = "";

    public async Task InitializeAsync()
    {
        _bucket = await gcs.CreateBucketAsync(versioning: true);
        _services = ApiServices.Build(gcs, _bucket, _scheduler, new Dictionary<string, string?> { ["Ecco:PubSub:VerifyToken"] = "false" });
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    private static string HistoryName(string id) => $"env/dev/ventures/{id}/history/2025/11/06/2025-11-06T10:18:22Z_{Ulid.NewUlid()}.json";

    [Fact]
    public async Task Push_FieldsWithLineBreaks_LoggedOnOneLine()
    {
        using var logs = new LogCapture();
        await using var services = ApiServices.Build(gcs, _bucket, new RecordingScheduler(), new Dictionary<string, string?> { ["Ecco:PubSub:VerifyToken"] = "false" },
            logs: logs);
        var body = PushBodies.Finalize("m-1\r\nERROR forged: admin logged in", _bucket, "env/dev/logs/x\rERROR forged.json", 3);
        var context = HttpExchange.Request("POST", "/api/pubsub/gcs-events", body, "application/json");
        var handler = services.GetRequiredService<PubSubBridgeHandler>();

        var response = await HttpExchange.RunAsync(context, () => handler.HandleAsync(context.Request, new NoEngineDurableTaskClient(), CancellationToken.None));

        Assert.Equal(204, response.Status);
        var line = Assert.Single(logs.Lines, l => l.Contains("forged", StringComparison.Ordinal));
        Assert.DoesNotContain('\r', line);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public async Task Push_HistoryObject_StartsReconcileForThatEntity()
    {
        var name = HistoryName("V-H1");

        var response = await PushAsync(PushBodies.Finalize("1", _bucket, name, 11));

        Assert.Equal(202, response.Status);
        Assert.Equal("Started", response.Body!["outcome"]!.GetValue<string>());
        var call = Assert.Single(_scheduler.Calls);
        Assert.Equal("reconcile", call.Kind);
        Assert.Equal("dev/venture/V-H1", call.Target);
        Assert.Equal("gcs:" + name, call.Trigger);
        Assert.Equal(response.Body!["instanceId"]!.GetValue<string>(), call.InstanceId);
        Assert.StartsWith("reconcile:dev:venture:V-H1:gcs-", call.InstanceId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_SnapshotObjectWrittenElsewhere_StartsReconcile()
    {
        var response = await PushAsync(PushBodies.Finalize("2", _bucket, "env/dev/snapshots/ventures/V-S1.json", 5));

        Assert.Equal(202, response.Status);
        Assert.Equal("dev/venture/V-S1", Assert.Single(_scheduler.Calls).Target);
    }

    [Fact]
    public async Task Push_SnapshotCarryingTheLastAppliedMarker_IsAlreadyReflected()
    {
        var metadata = new Dictionary<string, string> { [StorageContext.LastAppliedMetadataKey] = "2025-11-06T10:18:22Z|" + Ulid.NewUlid() };

        var response = await PushAsync(PushBodies.Finalize("3", _bucket, "env/dev/snapshots/ventures/V-S2.json", 5, metadata));

        Assert.Equal(200, response.Status);
        Assert.Equal("AlreadyReflected", response.Body!["outcome"]!.GetValue<string>());
        Assert.Empty(_scheduler.Calls);
    }

    [Fact]
    public async Task Push_SameObjectChangeDeliveredThreeTimes_StartsOneReconcile()
    {
        var name = HistoryName("V-DUP");
        var outcomes = new List<string>();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var response = await PushAsync(PushBodies.Finalize("dup-" + i, _bucket, name, 42));
            outcomes.Add(response.Body!["outcome"]!.GetValue<string>());
            ids.Add(response.Body!["instanceId"]!.GetValue<string>());
        }

        Assert.Equal(["Started", "Duplicate", "Duplicate"], outcomes);
        Assert.Single(ids.Distinct());

        var newerGeneration = await PushAsync(PushBodies.Finalize("dup-gen", _bucket, name, 43));
        Assert.Equal(202, newerGeneration.Status);
        Assert.NotEqual(ids[0], newerGeneration.Body!["instanceId"]!.GetValue<string>());
    }

    public static TheoryData<string, string> ForeignPushes() => new()
    {
        { "other bucket", "other-bucket|env/dev/ventures/V1/history/2025/11/06/2025-11-06T10:18:22Z_01JC0000000000000000000000.json|OBJECT_FINALIZE" },
        { "foreign path", "{bucket}|uploads/report.pdf|OBJECT_FINALIZE" },
        { "manifest entry", "{bucket}|env/dev/manifests/ventures/entries/V1.json|OBJECT_FINALIZE" },
        { "index pointer", "{bucket}|env/dev/indices/ventures/by-status/Pilot/V1.json|OBJECT_FINALIZE" },
        { "schema", "{bucket}|env/dev/schemas/venture/v1.0.0.schema.json|OBJECT_FINALIZE" },
        { "unserved env", "{bucket}|env/prod/snapshots/ventures/V1.json|OBJECT_FINALIZE" },
        { "delete event", "{bucket}|env/dev/snapshots/ventures/V1.json|OBJECT_DELETE" },
        { "metadata update", "{bucket}|env/dev/snapshots/ventures/V1.json|OBJECT_METADATA_UPDATE" },
        { "unknown entity folder", "{bucket}|env/dev/spaceships/V1/history/2025/11/06/2025-11-06T10:18:22Z_01JC0000000000000000000000.json|OBJECT_FINALIZE" },
        { "traversal in name", "{bucket}|env/dev/ventures/../snapshots/ventures/V1.json|OBJECT_FINALIZE" },
    };

    [Theory]
    [MemberData(nameof(ForeignPushes))]
    public async Task Push_NotAHistoryOrSnapshotOfThisDeployment_Is204AndStartsNothing(string name, string spec)
    {
        var parts = spec.Replace("{bucket}", _bucket, StringComparison.Ordinal).Split('|');

        var response = await PushAsync(PushBodies.Finalize("f-" + name, parts[0], parts[1], 1, eventType: parts[2]));

        Assert.Equal(204, response.Status);
        Assert.Null(response.Body);
        Assert.Empty(_scheduler.Calls);
    }

    public static TheoryData<string> MalformedPushes() =>
    [
        "",
        "not json",
        "[]",
        """{"subscription":"s"}""",
        """{"message":"x"}""",
        """{"message":{"attributes":{"objectId":"o","bucketId":"b"}}}""",
        """{"message":{"messageId":"1","data":"%%%"}}""",
        """{"message":{"messageId":"1","data":7}}""",
        """{"message":{"messageId":"1","attributes":{"bucketId":"b"}}}""",
        """{"message":{"messageId":"1","attributes":{"objectId":"o"}}}""",
        """{"message":{"messageId":"1","attributes":{"bucketId":"b","objectId":"o","objectGeneration":"-1"}}}""",
        """{"message":{"messageId":"1","attributes":"x"}}""",
        """{"message":{"messageId":"1","data":"bm90IGpzb24="}}""",
    ];

    [Theory]
    [MemberData(nameof(MalformedPushes))]
    public async Task Push_MalformedEnvelope_Is400ProblemSoPubSubRetries(string body)
    {
        var response = await PushAsync(body);

        response.AssertProblem(400, "malformed-push");
        Assert.Empty(_scheduler.Calls);
    }

    [Fact]
    public void Parse_NotificationWithAttributesAndData_ReadsObjectGenerationAndMetadata()
    {
        var body = PushBodies.Finalize("m-9", "b1", "env/dev/snapshots/ventures/V9.json", 1234567890123,
            new Dictionary<string, string> { ["ecco-last-applied"] = "x" });

        var notification = GcsNotification.Parse(System.Text.Encoding.UTF8.GetBytes(body));

        Assert.Equal(new GcsNotification("m-9", "OBJECT_FINALIZE", "b1", "env/dev/snapshots/ventures/V9.json", 1234567890123, notification.ObjectMetadata), notification);
        Assert.Equal("x", notification.ObjectMetadata["ecco-last-applied"]);
    }

    [Fact]
    public void Parse_DataOnlyNotification_TakesNamesFromTheResource()
    {
        var resource = new System.Text.Json.Nodes.JsonObject { ["bucket"] = "b2", ["name"] = "env/dev/snapshots/ideas/I1.json", ["generation"] = "77" };
        var body = $$$"""{"message":{"message_id":"m-10","data":"{{{GcsNotification.EncodeResource(resource)}}}"}}""";

        var notification = GcsNotification.Parse(System.Text.Encoding.UTF8.GetBytes(body));

        Assert.Equal(("m-10", "b2", "env/dev/snapshots/ideas/I1.json", 77L, GcsNotification.FinalizeEvent),
            (notification.MessageId, notification.Bucket, notification.ObjectName, notification.Generation!.Value, notification.EventType));
    }

    private async Task<HttpExchange.Response> PushAsync(string body)
    {
        var context = HttpExchange.Request("POST", "/api/pubsub/gcs-events", body);
        var handler = _services.GetRequiredService<PubSubBridgeHandler>();
        return await HttpExchange.RunAsync(context, () => handler.HandleAsync(context.Request, new NoEngineDurableTaskClient(), CancellationToken.None));
    }
}
