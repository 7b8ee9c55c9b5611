using System.Net;
using System.Text;
using EccoStudio.Testing;
using Google;
using Google.Apis.Json;
using Google.Cloud.Storage.V1;
using StorageObject = Google.Apis.Storage.v1.Data.Object;

namespace EccoStudio.GcsEmulator.Tests;

/// <summary>
/// Object Retention Lock as GCS documents it: the <c>retention</c> field is kept per generation and returned; until
/// <c>retainUntilTime</c> a generation cannot be deleted or replaced (403 <c>retentionPolicyNotMet</c>), though a
/// versioned bucket may still make it noncurrent; Unlocked changes need <c>overrideUnlockedRetention</c>, Locked ones
/// can only extend.
/// </summary>
public sealed class ObjectRetentionTests(GcsEmulatorFixture fixture) : EmulatorTestBase(fixture)
{
    private static readonly DateTimeOffset Year = DateTimeOffset.UtcNow.AddDays(365);

    private Task<StorageObject> UploadAsync(string bucket, string name, string content, string? mode, DateTimeOffset? until = null, UploadObjectOptions? options = null) =>
        Client.UploadObjectAsync(new StorageObject
        {
            Bucket = bucket,
            Name = name,
            ContentType = "text/plain",
            Retention = mode is null ? null : new StorageObject.RetentionData { Mode = mode, RetainUntilTimeDateTimeOffset = until ?? Year },
        }, new MemoryStream(Encoding.UTF8.GetBytes(content)), options);

    private static async Task<GoogleApiException> Refused(HttpStatusCode status, Func<Task> action)
    {
        var e = await Assert.ThrowsAsync<GoogleApiException>(action);
        Assert.Equal(status, e.HttpStatusCode);
        return e;
    }

    [Fact]
    public async Task Upload_WithRetention_KeptOnGetListAndNoncurrentVersion()
    {
        var bucket = await Fixture.CreateBucketAsync(versioning: true, objectRetention: true);
        var first = await UploadAsync(bucket, "h/one.json", "v1", "Locked");
        Assert.Equal("Locked", first.Retention.Mode);
        Assert.Equal(Year.ToUnixTimeMilliseconds(), first.Retention.RetainUntilTimeDateTimeOffset!.Value.ToUnixTimeMilliseconds());

        var fetched = await Client.GetObjectAsync(bucket, "h/one.json");
        Assert.Equal(("Locked", first.Retention.RetainUntilTimeRaw), (fetched.Retention.Mode, fetched.Retention.RetainUntilTimeRaw));

        // Versioned: a new generation is allowed (the retained one becomes noncurrent and keeps its retention).
        var second = await UploadAsync(bucket, "h/one.json", "v2", null);
        Assert.Null(second.Retention);
        var versions = await Client.ListObjectsAsync(bucket, "h/", new ListObjectsOptions { Versions = true }).ToListAsync();
        var noncurrent = Assert.Single(versions, v => v.Generation == first.Generation);
        Assert.NotNull(noncurrent.TimeDeletedDateTimeOffset);
        Assert.Equal("Locked", noncurrent.Retention.Mode);
        Assert.Equal(first.Retention.RetainUntilTimeRaw, noncurrent.Retention.RetainUntilTimeRaw);
    }

    [Theory]
    [InlineData("Unlocked")]
    [InlineData("Locked")]
    public async Task DeleteGeneration_UnderRetention_Forbidden403RetentionPolicyNotMet(string mode)
    {
        var bucket = await Fixture.CreateBucketAsync(versioning: true, objectRetention: true);
        var put = await UploadAsync(bucket, "h/two.json", "x", mode);

        var e = await Refused(HttpStatusCode.Forbidden, () => Client.DeleteObjectAsync(bucket, "h/two.json", new DeleteObjectOptions { Generation = put.Generation }));
        Assert.Contains(e.Error.Errors, d => d.Reason == "retentionPolicyNotMet");
        Assert.Contains($"Object '{bucket}/h/two.json' is subject to object retention and cannot be deleted or overwritten until", e.Error.Message, StringComparison.Ordinal);

        // Deleting the live version of a versioned bucket only makes it noncurrent: allowed; the generation stays and stays protected.
        await Client.DeleteObjectAsync(bucket, "h/two.json");
        var kept = Assert.Single(await Client.ListObjectsAsync(bucket, "h/two.json", new ListObjectsOptions { Versions = true }).ToListAsync());
        Assert.Equal(put.Generation, kept.Generation);
        await Refused(HttpStatusCode.Forbidden, () => Client.DeleteObjectAsync(bucket, "h/two.json", new DeleteObjectOptions { Generation = put.Generation }));
    }

    [Fact]
    public async Task UnversionedBucket_RetainedObject_NeitherReplacedNorDeleted()
    {
        var bucket = await Fixture.CreateBucketAsync(objectRetention: true);
        await UploadAsync(bucket, "h/three.json", "kept", "Unlocked");

        await Refused(HttpStatusCode.Forbidden, () => UploadAsync(bucket, "h/three.json", "replaced", null));
        await Refused(HttpStatusCode.Forbidden, () => Client.DeleteObjectAsync(bucket, "h/three.json"));
        Assert.Equal("kept", await ReadAsync(bucket, "h/three.json"));
    }

    [Fact]
    public async Task RetentionExpired_GenerationDeletable()
    {
        var bucket = await Fixture.CreateBucketAsync(versioning: true, objectRetention: true);
        var put = await UploadAsync(bucket, "h/short.json", "x", "Locked", DateTimeOffset.UtcNow.AddSeconds(1.5));
        await Refused(HttpStatusCode.Forbidden, () => Client.DeleteObjectAsync(bucket, "h/short.json", new DeleteObjectOptions { Generation = put.Generation }));

        await Task.Delay(TimeSpan.FromSeconds(2));
        await Client.DeleteObjectAsync(bucket, "h/short.json", new DeleteObjectOptions { Generation = put.Generation });
        Assert.Empty(await Client.ListObjectsAsync(bucket, "h/short.json", new ListObjectsOptions { Versions = true }).ToListAsync());
    }

    [Fact]
    public async Task PatchRetention_Unlocked_RemovedOnlyWithOverride()
    {
        var bucket = await Fixture.CreateBucketAsync(versioning: true, objectRetention: true);
        var put = await UploadAsync(bucket, "h/four.json", "x", "Unlocked");
        var clear = new StorageObject { Bucket = bucket, Name = "h/four.json", Generation = put.Generation, Retention = new ClearedRetention() };

        var e = await Refused(HttpStatusCode.Forbidden, () => Client.PatchObjectAsync(clear, new PatchObjectOptions { Generation = put.Generation }));
        Assert.Contains("overrideUnlockedRetention", e.Error.Message, StringComparison.Ordinal);
        var shorter = new StorageObject { Bucket = bucket, Name = "h/four.json", Retention = new() { Mode = "Unlocked", RetainUntilTimeDateTimeOffset = Year.AddDays(-1) } };
        await Refused(HttpStatusCode.Forbidden, () => Client.PatchObjectAsync(shorter, new PatchObjectOptions { Generation = put.Generation }));

        var cleared = await Client.PatchObjectAsync(clear, new PatchObjectOptions { Generation = put.Generation, OverrideUnlockedRetention = true });
        Assert.Null(cleared.Retention);
        await Client.DeleteObjectAsync(bucket, "h/four.json", new DeleteObjectOptions { Generation = put.Generation });
    }

    [Fact]
    public async Task PatchRetention_Locked_OnlyExtended()
    {
        var bucket = await Fixture.CreateBucketAsync(versioning: true, objectRetention: true);
        var put = await UploadAsync(bucket, "h/five.json", "x", "Locked");
        var options = new PatchObjectOptions { Generation = put.Generation, OverrideUnlockedRetention = true };

        var clear = new StorageObject { Bucket = bucket, Name = "h/five.json", Retention = new ClearedRetention() };
        var e = await Refused(HttpStatusCode.Forbidden, () => Client.PatchObjectAsync(clear, options));
        Assert.Contains("Locked retention", e.Error.Message, StringComparison.Ordinal);
        var unlock = new StorageObject { Bucket = bucket, Name = "h/five.json", Retention = new() { Mode = "Unlocked", RetainUntilTimeDateTimeOffset = Year } };
        await Refused(HttpStatusCode.Forbidden, () => Client.PatchObjectAsync(unlock, options));

        var longer = new StorageObject { Bucket = bucket, Name = "h/five.json", Retention = new() { Mode = "Locked", RetainUntilTimeDateTimeOffset = Year.AddDays(30) } };
        var extended = await Client.PatchObjectAsync(longer, new PatchObjectOptions { Generation = put.Generation });
        Assert.Equal(Year.AddDays(30).ToUnixTimeMilliseconds(), extended.Retention.RetainUntilTimeDateTimeOffset!.Value.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Upload_RetentionOnBucketWithoutObjectRetention_BadRequest()
    {
        var bucket = await Fixture.CreateBucketAsync(versioning: true);
        var e = await Refused(HttpStatusCode.BadRequest, () => UploadAsync(bucket, "h/six.json", "x", "Unlocked"));
        Assert.Contains("Object retention is not enabled", e.Error.Message, StringComparison.Ordinal);
        Assert.Empty(await Client.ListObjectsAsync(bucket, "h/").ToListAsync());
    }

    [Fact]
    public async Task Upload_RetentionInvalidMode_BadRequest()
    {
        var bucket = await Fixture.CreateBucketAsync(objectRetention: true);
        await Refused(HttpStatusCode.BadRequest, () => UploadAsync(bucket, "h/seven.json", "x", "Governance"));
    }

    [Fact]
    public async Task Restart_OnDisk_RetentionSurvivesAndStillRefusesDelete()
    {
        var dir = Path.Combine(Path.GetTempPath(), "gcs-emu-retention-" + Guid.NewGuid().ToString("N"));
        var options = new GcsEmulatorOptions { Port = 0, DataDirectory = dir, PubSubEmulatorHost = string.Empty };
        var bucket = "retained-" + Guid.NewGuid().ToString("N")[..10];
        try
        {
            long generation;
            await using (var server = await GcsEmulatorServer.StartAsync(options))
            {
                using var client = GcsEmulatorFixture.CreateClient(server);
                await client.CreateBucketAsync("ecco-local", new Google.Apis.Storage.v1.Data.Bucket { Name = bucket },
                    new CreateBucketOptions { ObjectRetentionEnabled = true });
                generation = (await client.UploadObjectAsync(new StorageObject
                {
                    Bucket = bucket,
                    Name = "h/disk.json",
                    Retention = new StorageObject.RetentionData { Mode = "Locked", RetainUntilTimeDateTimeOffset = Year },
                }, new MemoryStream("x"u8.ToArray()))).Generation!.Value;
            }

            await using (var server = await GcsEmulatorServer.StartAsync(options))
            {
                using var client = GcsEmulatorFixture.CreateClient(server);
                Assert.Equal("Locked", (await client.GetObjectAsync(bucket, "h/disk.json")).Retention.Mode);
                await Refused(HttpStatusCode.Forbidden, () => client.DeleteObjectAsync(bucket, "h/disk.json", new DeleteObjectOptions { Generation = generation }));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Sent as <c>"retention": null</c>, the JSON API's way to remove a field in a patch.</summary>
    [JsonExplicitNull]
    private sealed class ClearedRetention : StorageObject.RetentionData;
}
