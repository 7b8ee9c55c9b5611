using System.Text.Json.Nodes;
using EccoStudio.Activities.Common;
using EccoStudio.Activities.History;
using EccoStudio.Activities.Snapshots;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;
using EccoStudio.Testing;

namespace EccoStudio.Activities.Tests;

public sealed class SnapshotActivitiesTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    private static string Venture(string updatedAt, string status) =>
        $$"""{"id":"V1","entity":"venture","env":"dev","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z","updated_at":"{{updatedAt}}","lead":"Bob","status":"{{status}}"}""";

    [Fact]
    public async Task ApplySnapshot_RunAgainAfterSuccess_WritesNothingAndReportsTheSameBefore()
    {
        var storage = await Buckets.NewContextAsync(emulator);
        var entity = new EntityRef("dev", "venture", "V1");
        var context = new FakeActivityContext("x", "i1");
        async Task<PreparedChangeOutput> AppendAsync(string document)
        {
            var prepared = await new ValidateChangeActivity(storage).RunAsync(context, new ValidateChangeInput(entity, document, ChangeKind.Full, Ulid.NewUlid().ToString()));
            await new AppendHistoryActivity(storage).RunAsync(context, new AppendHistoryInput(entity, prepared));
            return prepared;
        }

        var first = await AppendAsync(Venture("2025-11-06T10:00:00Z", "Pilot"));
        await new ApplySnapshotActivity(storage).RunAsync(context, new ApplySnapshotInput(entity, first));
        var second = await AppendAsync(Venture("2025-11-06T11:00:00Z", "Build"));

        var once = await new ApplySnapshotActivity(storage).RunAsync(context, new ApplySnapshotInput(entity, second));
        var twice = await new ApplySnapshotActivity(storage).RunAsync(context, new ApplySnapshotInput(entity, second));

        Assert.True(once.Changed);
        Assert.False(twice.Changed);
        Assert.Equal(once.Generation, twice.Generation);
        Assert.Equal(once.After, twice.After);
        Assert.Equal(once.Before, twice.Before);
        Assert.Equal(once.BeforeKey, twice.BeforeKey);
        Assert.Equal("Pilot", JsonText.ParseObject(twice.Before!)["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task RestoreSnapshot_StillOurs_PutsPriorBytesAndKeyBack_ThenIsANoOp()
    {
        var storage = await Buckets.NewContextAsync(emulator);
        var entity = new EntityRef("dev", "venture", "V1");
        var context = new FakeActivityContext("x", "i2");
        var firstDoc = Venture("2025-11-06T10:00:00Z", "Pilot");
        var p1 = await new ValidateChangeActivity(storage).RunAsync(context, new ValidateChangeInput(entity, firstDoc, ChangeKind.Full, Ulid.NewUlid().ToString()));
        await new AppendHistoryActivity(storage).RunAsync(context, new AppendHistoryInput(entity, p1));
        await new ApplySnapshotActivity(storage).RunAsync(context, new ApplySnapshotInput(entity, p1));
        var p2 = await new ValidateChangeActivity(storage).RunAsync(context,
            new ValidateChangeInput(entity, Venture("2025-11-06T11:00:00Z", "Build"), ChangeKind.Full, Ulid.NewUlid().ToString()));
        await new AppendHistoryActivity(storage).RunAsync(context, new AppendHistoryInput(entity, p2));
        var applied = await new ApplySnapshotActivity(storage).RunAsync(context, new ApplySnapshotInput(entity, p2));

        var input = new RestoreSnapshotInput(entity, p2.Key, true, applied.Before, applied.BeforeKey);
        var restored = await new RestoreSnapshotActivity(storage).RunAsync(context, input);
        var again = await new RestoreSnapshotActivity(storage).RunAsync(context, input);

        Assert.Equal(Storage.Snapshots.SnapshotRestoreAction.Restored, restored.Action);
        Assert.Equal(Storage.Snapshots.SnapshotRestoreAction.None, again.Action);
        Assert.Equal(restored.Generation, again.Generation);
        var stored = (await storage.Store.GetAsync(storage.Bucket("dev"), "env/dev/snapshots/ventures/V1.json"))!;
        Assert.Equal(firstDoc, System.Text.Encoding.UTF8.GetString(stored.Content.Span));
        Assert.Equal(p1.Key, stored.Info.Metadata["ecco-last-applied"]);
        Assert.True(JsonNode.DeepEquals(JsonText.ParseObject(firstDoc), JsonText.ParseObject(restored.Snapshot!)));
    }
}
