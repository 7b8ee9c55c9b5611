using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Writes;
using EccoStudio.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Storage.Tests.History;

/// <summary>
/// §8 audit retention (docs/operations.md "History audit retention"): with <c>Ecco:Storage:HistoryRetentionDays</c>
/// every history object is created with a GCS object retention; snapshots and the rest stay free to replace.
/// Read back through the client library from our emulator, which keeps and enforces the field.
/// </summary>
public sealed class HistoryRetentionTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    private async Task<(StorageContext Context, string Bucket)> ComposeAsync(int days, string? mode = null)
    {
        var bucket = await emulator.CreateBucketAsync(versioning: true, prefix: "hr", objectRetention: true);
        var services = StorageServiceCollectionExtensions.CreateServices(o =>
        {
            o.EmulatorHost = emulator.Server.BaseUri.ToString();
            o.Bucket = bucket;
            o.SchemaSource = EccoStorageOptions.FolderSchemaSourceName;
            o.SchemasFolder = TestData.SchemasFolder;
            o.HistoryRetentionDays = days;
            if (mode is not null)
            {
                o.HistoryRetentionMode = mode;
            }
        });
        return (services.GetRequiredService<StorageContext>(), bucket);
    }

    private static readonly EntityTarget Venture = new("dev", EntityCatalog.Venture, "V-RET");

    private static async Task WriteTwiceAsync(StorageContext context)
    {
        var pipeline = new EntityWritePipeline(context);
        await pipeline.WriteAsync(Venture, JsonText.ParseObject("""
            {"id":"V-RET","entity":"venture","env":"dev","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z",
             "updated_at":"2025-11-01T00:00:00Z","lead":"Bob","status":"Pilot","milestones":[]}
            """), Ulid.NewUlid());
        await pipeline.WriteAsync(Venture, JsonText.ParseObject("""{"updated_at":"2025-11-02T00:00:00Z","status":"Scale"}"""), Ulid.NewUlid(),
            Storage.History.ChangeKind.MergePatch);
    }

    private static async Task<List<Google.Apis.Storage.v1.Data.Object>> ListAsync(Google.Cloud.Storage.V1.StorageClient client, string bucket)
    {
        var all = new List<Google.Apis.Storage.v1.Data.Object>();
        await foreach (var o in client.ListObjectsAsync(bucket, ObjectPaths.HistoryPrefix(Venture)))
        {
            all.Add(o);
        }

        return all;
    }

    [Theory]
    [InlineData(null, "Unlocked")]
    [InlineData("Locked", "Locked")]
    public async Task Write_RetentionOn_EveryHistoryObjectRetainedUntilCreatedPlusDays(string? mode, string expectedMode)
    {
        var (context, bucket) = await ComposeAsync(days: 30, mode);
        await WriteTwiceAsync(context);

        using var client = emulator.CreateClient();
        var history = await ListAsync(client, bucket);
        Assert.Equal(2, history.Count);
        Assert.All(history, o =>
        {
            Assert.Equal(expectedMode, o.Retention.Mode);
            var expected = o.TimeCreatedDateTimeOffset!.Value.AddDays(30);
            Assert.InRange(o.Retention.RetainUntilTimeDateTimeOffset!.Value, expected.AddSeconds(-5), expected.AddSeconds(5));
        });

        // Only history: the snapshot was replaced by the second write (it would have been refused without versioning otherwise).
        var snapshot = await client.GetObjectAsync(bucket, ObjectPaths.Snapshot(Venture));
        Assert.Null(snapshot.Retention);

        // And GCS (our emulator) holds it: the generation cannot be deleted.
        var e = await Assert.ThrowsAsync<Google.GoogleApiException>(() =>
            client.DeleteObjectAsync(bucket, history[0].Name, new Google.Cloud.Storage.V1.DeleteObjectOptions { Generation = history[0].Generation }));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, e.HttpStatusCode);
    }

    [Fact]
    public async Task Write_RetentionOff_HistoryHasNoRetention()
    {
        var (context, bucket) = await ComposeAsync(days: 0);
        Assert.Null(context.HistoryRetention);
        await WriteTwiceAsync(context);

        using var client = emulator.CreateClient();
        Assert.All(await ListAsync(client, bucket), o => Assert.Null(o.Retention));
    }

    [Theory]
    [InlineData(30, "Forever", "Ecco:Storage:HistoryRetentionMode must be Unlocked or Locked, not 'Forever'.")]
    [InlineData(-1, null, "Ecco:Storage:HistoryRetentionDays must be between 1 and 36500 (0 turns retention off).")]
    public async Task Compose_BadRetentionSetting_FailsNamingTheSetting(int days, string? mode, string message)
    {
        var e = await Assert.ThrowsAnyAsync<ArgumentException>(() => ComposeAsync(days, mode));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }
}
