using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Reliability.Tests.Support;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Layout;
using EccoStudio.Testing;
using Microsoft.DurableTask.Client;
using Xunit.Abstractions;

namespace EccoStudio.Reliability.Tests;

/// <summary>
/// Issue 7 item 5: history objects dropped straight into the bucket (another tool's writes), their notifications
/// published 3× each in shuffled order (1,200 messages) through the REAL Pub/Sub emulator onto a push subscription to
/// the bridge. Everything converges (zero drift) and at most one reconcile starts per entity change (object generation).
/// </summary>
[Collection(PubSubEmulatorFixture.CollectionName)]
public sealed class BridgeBurstTests(PubSubEmulatorFixture pubsub, ITestOutputHelper output)
{
    private const int Ids = 100;
    private const int RecordsPerId = 4;
    private const int Copies = 3;

    [Fact]
    public async Task Bridge_BurstOfDuplicatedShuffledNotifications_ConvergesWithAtMostOneReconcilePerChange()
    {
        await using var host = await LocalHost.StartAsync();
        var topic = PubSubEmulatorFixture.UniqueName("burst");
        await pubsub.CreateTopicAsync(topic);
        await pubsub.CreatePushSubscriptionAsync(PubSubEmulatorFixture.UniqueName("burst-push"), topic, host.Host.BridgeUri);
        var random = new Random(5);
        var gcs = host.GcsClient();

        var uploads = new List<(string Name, long Generation)>();
        var objects = Enumerable.Range(1, Ids).SelectMany(i => Enumerable.Range(0, RecordsPerId).Select(r => (Id: $"BR{i:D3}", Record: r)))
            .OrderBy(_ => random.Next()).ToList();
        foreach (var (id, record) in objects)
        {
            var target = new EntityTarget("dev", EntityCatalog.Venture, id);
            var at = new DateTimeOffset(2025, 11, 6, 10, 0, 0, TimeSpan.Zero).AddMinutes(record);
            var name = ObjectPaths.History(target, new HistoryKey(at, Ulid.NewUlid(at)));
            var body = record == 0 ? FullDocument(id, at, random) : Patch(at, record);
            var created = await gcs.UploadObjectAsync(host.Bucket, name, "application/json", new MemoryStream(Encoding.UTF8.GetBytes(body.ToJsonString())));
            uploads.Add((name, created.Generation!.Value));
        }

        var messages = uploads.SelectMany(u => Enumerable.Repeat(u, Copies)).OrderBy(_ => random.Next()).Select(u => new PubSubOutgoingMessage(
            Encoding.UTF8.GetBytes(new JsonObject { ["name"] = u.Name, ["bucket"] = host.Bucket, ["generation"] = u.Generation.ToString(CultureInfo.InvariantCulture) }.ToJsonString()),
            new Dictionary<string, string>
            {
                ["eventType"] = "OBJECT_FINALIZE", ["bucketId"] = host.Bucket, ["objectId"] = u.Name,
                ["objectGeneration"] = u.Generation.ToString(CultureInfo.InvariantCulture), ["payloadFormat"] = "JSON_API_V1",
            })).ToList();
        Assert.True(messages.Count >= 1000);
        foreach (var batch in messages.Chunk(100))
        {
            await pubsub.PublishAsync(topic, batch);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        Storage.Consistency.ConsistencyReport report;
        IReadOnlyList<string> running;
        do
        {
            await Task.Delay(1000);
            running = await Instances.NotEndedAsync(host.Client);
            report = await host.Checker().CheckAsync("dev", [EntityCatalog.Venture]);
        }
        while ((!report.IsConsistent || running.Count > 0 || report.EntitiesChecked < Ids) && DateTime.UtcNow < deadline);

        var reconciles = new List<OrchestrationMetadata>();
        await foreach (var instance in host.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "reconcile:", PageSize = 1000 }))
        {
            reconciles.Add(instance);
        }

        var started = host.Logs.Lines.Count(l => l.Contains("(new start: True)", StringComparison.Ordinal));
        var duplicates = host.Logs.Lines.Count(l => l.Contains("(new start: False)", StringComparison.Ordinal));
        output.WriteLine($"messages {messages.Count}, changes {uploads.Count}, reconciles {reconciles.Count} (log: {started} started, {duplicates} duplicates), {report.Summary()}");
        Assert.True(report.IsConsistent, report.Summary());
        Assert.Equal(Ids, report.EntitiesChecked);
        Assert.Equal(Ids * RecordsPerId, report.HistoryRecordsRead);
        Assert.Empty(running);
        Assert.InRange(reconciles.Count, Ids, uploads.Count);
        Assert.Equal(reconciles.Count, started);
        Assert.Equal(reconciles.Select(r => r.InstanceId).Distinct(StringComparer.Ordinal).Count(), reconciles.Count);
        Assert.All(reconciles, r => Assert.Equal(OrchestrationRuntimeStatus.Completed, r.RuntimeStatus));
    }

    private static JsonObject FullDocument(string id, DateTimeOffset at, Random random)
    {
        var document = Ventures.Full(random, 0);
        document["id"] = id;
        document["entity"] = "venture";
        document["env"] = "dev";
        document["created_at"] = "2025-11-01T00:00:00Z";
        document["updated_at"] = at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return document;
    }

    private static JsonObject Patch(DateTimeOffset at, int record) => new()
    {
        ["updated_at"] = at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["status"] = Ventures.Statuses[record % Ventures.Statuses.Length],
        ["kpis"] = new JsonObject { ["MRR"] = record * 1000 },
        ["_change"] = "merge-patch",
    };
}
