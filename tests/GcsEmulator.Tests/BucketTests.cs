using System.Net;
using EccoStudio.Testing;
using Google;
using Google.Apis.Storage.v1.Data;
using Google.Cloud.Storage.V1;

namespace EccoStudio.GcsEmulator.Tests;

public sealed class BucketTests(GcsEmulatorFixture fixture) : EmulatorTestBase(fixture)
{
    [Fact]
    public async Task CreateBucket_AllFields_KeptAndReturned()
    {
        var name = Fixture.NewBucketName();
        var created = await Client.CreateBucketAsync(Fixture.ProjectId, new Bucket
        {
            Name = name,
            Versioning = new Bucket.VersioningData { Enabled = true },
            Labels = new Dictionary<string, string> { ["env"] = "test" },
            IamConfiguration = new Bucket.IamConfigurationData
            {
                UniformBucketLevelAccess = new Bucket.IamConfigurationData.UniformBucketLevelAccessData { Enabled = true },
                PublicAccessPrevention = "enforced",
            },
            Encryption = new Bucket.EncryptionData { DefaultKmsKeyName = "projects/p/locations/l/keyRings/r/cryptoKeys/k" },
            Lifecycle = new Bucket.LifecycleData
            {
                Rule = [new Bucket.LifecycleData.RuleData { Action = new() { Type = "Delete" }, Condition = new() { NumNewerVersions = 3 } }],
            },
        });
        Assert.Equal(1, created.Metageneration);

        var fetched = await Client.GetBucketAsync(name);
        Assert.True(fetched.Versioning.Enabled);
        Assert.Equal("test", fetched.Labels["env"]);
        Assert.True(fetched.IamConfiguration.UniformBucketLevelAccess.Enabled);
        Assert.Equal("enforced", fetched.IamConfiguration.PublicAccessPrevention);
        Assert.Equal("projects/p/locations/l/keyRings/r/cryptoKeys/k", fetched.Encryption.DefaultKmsKeyName);
        Assert.Equal(3, fetched.Lifecycle.Rule.Single().Condition.NumNewerVersions);
        Assert.Equal("Delete", fetched.Lifecycle.Rule.Single().Action.Type);

        var buckets = await Client.ListBucketsAsync(Fixture.ProjectId).ToListAsync();
        Assert.Contains(buckets, b => b.Name == name);
    }

    [Fact]
    public async Task ListBuckets_PrefixAndPaging_EachBucketOnce()
    {
        var prefix = Fixture.NewBucketName("pg");
        var names = new[] { prefix + "-a", prefix + "-b", prefix + "-c" };
        foreach (var n in names)
        {
            await Client.CreateBucketAsync(Fixture.ProjectId, n);
        }

        var listed = await Client.ListBucketsAsync(Fixture.ProjectId, new ListBucketsOptions { Prefix = prefix, PageSize = 2 }).ToListAsync();
        Assert.Equal(names, listed.Select(b => b.Name));
        Assert.Empty(await Client.ListBucketsAsync("some-other-project", new ListBucketsOptions { Prefix = prefix }).ToListAsync());
    }

    [Fact]
    public async Task CreateBucket_Twice_409()
    {
        var name = await NewBucketAsync();
        var e = await Assert.ThrowsAsync<GoogleApiException>(() => Client.CreateBucketAsync(Fixture.ProjectId, name));
        Assert.Equal(HttpStatusCode.Conflict, e.HttpStatusCode);
    }

    [Fact]
    public async Task PatchBucket_MergesLabelsAndBumpsMetageneration()
    {
        var name = Fixture.NewBucketName();
        await Client.CreateBucketAsync(Fixture.ProjectId, new Bucket { Name = name, Labels = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } });
        var patched = await Client.PatchBucketAsync(
            new Bucket { Name = name, Labels = new Dictionary<string, string> { ["c"] = "3" }, Versioning = new Bucket.VersioningData { Enabled = true } },
            new PatchBucketOptions { IfMetagenerationMatch = 1 });
        Assert.Equal(2, patched.Metageneration);
        Assert.Equal(["a", "b", "c"], patched.Labels.Keys.Order());
        Assert.True(patched.Versioning.Enabled);

        var stale = await Assert.ThrowsAsync<GoogleApiException>(
            () => Client.PatchBucketAsync(new Bucket { Name = name, Labels = new Dictionary<string, string> { ["d"] = "4" } }, new PatchBucketOptions { IfMetagenerationMatch = 1 }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.HttpStatusCode);

        var updated = await Client.UpdateBucketAsync(new Bucket { Name = name, Labels = new Dictionary<string, string> { ["only"] = "x" } });
        Assert.Equal(3, updated.Metageneration);
        Assert.Equal(["only"], updated.Labels.Keys);
        Assert.Null(updated.Versioning);
    }

    [Fact]
    public async Task DeleteBucket_NonEmpty409_EmptySucceeds()
    {
        var name = await NewBucketAsync(versioning: true);
        await PutAsync(name, "o", "x");
        var e = await Assert.ThrowsAsync<GoogleApiException>(() => Client.DeleteBucketAsync(name));
        Assert.Equal(HttpStatusCode.Conflict, e.HttpStatusCode);

        // A noncurrent version still makes it non-empty.
        await Client.DeleteObjectAsync(name, "o");
        Assert.Equal(HttpStatusCode.Conflict, (await Assert.ThrowsAsync<GoogleApiException>(() => Client.DeleteBucketAsync(name))).HttpStatusCode);

        var version = Assert.Single(await Client.ListObjectsAsync(name, null, new ListObjectsOptions { Versions = true }).ToListAsync());
        await Client.DeleteObjectAsync(name, "o", new DeleteObjectOptions { Generation = version.Generation });
        await Client.DeleteBucketAsync(name);
        var gone = await Assert.ThrowsAsync<GoogleApiException>(() => Client.GetBucketAsync(name));
        Assert.Equal(HttpStatusCode.NotFound, gone.HttpStatusCode);
    }

    [Fact]
    public async Task UploadObject_UnknownBucket_404()
    {
        var e = await Assert.ThrowsAsync<GoogleApiException>(() => PutAsync("no-such-bucket-xyz", "o", "x"));
        Assert.Equal(HttpStatusCode.NotFound, e.HttpStatusCode);
    }

    [Fact]
    public async Task NotificationConfigs_Crud_StoredWithBucket()
    {
        var name = await NewBucketAsync();
        var created = await Client.CreateNotificationAsync(name, new Notification
        {
            Topic = "//pubsub.googleapis.com/projects/demo/topics/objects",
            PayloadFormat = "JSON_API_V1",
            EventTypes = ["OBJECT_FINALIZE", "OBJECT_DELETE"],
            ObjectNamePrefix = "history/",
            CustomAttributes = new Dictionary<string, string> { ["source"] = "emulator" },
        });
        Assert.False(string.IsNullOrEmpty(created.Id));

        var fetched = await Client.GetNotificationAsync(name, created.Id);
        Assert.Equal("//pubsub.googleapis.com/projects/demo/topics/objects", fetched.Topic);
        Assert.Equal(["OBJECT_FINALIZE", "OBJECT_DELETE"], fetched.EventTypes);
        Assert.Equal("history/", fetched.ObjectNamePrefix);
        Assert.Equal("emulator", fetched.CustomAttributes["source"]);

        var second = await Client.CreateNotificationAsync(name, new Notification { Topic = "projects/demo/topics/other", PayloadFormat = "NONE" });
        Assert.NotEqual(created.Id, second.Id);
        Assert.Equal(2, (await Client.ListNotificationsAsync(name)).Count);

        await Client.DeleteNotificationAsync(name, created.Id);
        var left = Assert.Single(await Client.ListNotificationsAsync(name));
        Assert.Equal(second.Id, left.Id);
        var e = await Assert.ThrowsAsync<GoogleApiException>(() => Client.GetNotificationAsync(name, created.Id));
        Assert.Equal(HttpStatusCode.NotFound, e.HttpStatusCode);
    }
}
