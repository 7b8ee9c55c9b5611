using System.Net;
using EccoStudio.Testing;
using Google;
using Google.Cloud.Storage.V1;

namespace EccoStudio.GcsEmulator.Tests;

public sealed class VersioningTests(GcsEmulatorFixture fixture) : EmulatorTestBase(fixture)
{
    [Fact]
    public async Task Overwrite_VersioningOn_KeepsNoncurrentGenerations()
    {
        var bucket = await NewBucketAsync(versioning: true);
        var v1 = await PutAsync(bucket, "doc", "one");
        var v2 = await PutAsync(bucket, "doc", "two");
        Assert.True(v2.Generation > v1.Generation);

        Assert.Equal("two", await ReadAsync(bucket, "doc"));
        Assert.Equal("one", await ReadAsync(bucket, "doc", new DownloadObjectOptions { Generation = v1.Generation }));
        var old = await Client.GetObjectAsync(bucket, "doc", new GetObjectOptions { Generation = v1.Generation });
        Assert.NotNull(old.TimeDeletedDateTimeOffset);

        var versions = await Client.ListObjectsAsync(bucket, null, new ListObjectsOptions { Versions = true }).ToListAsync();
        Assert.Equal([v1.Generation, v2.Generation], versions.Select(o => o.Generation));
        Assert.NotNull(versions[0].TimeDeletedDateTimeOffset);
        Assert.Null(versions[1].TimeDeletedDateTimeOffset);
        Assert.Single(await Client.ListObjectsAsync(bucket).ToListAsync());
    }

    [Fact]
    public async Task Delete_VersioningOn_LiveBecomesNoncurrentThenDeletableByGeneration()
    {
        var bucket = await NewBucketAsync(versioning: true);
        var v1 = await PutAsync(bucket, "doc", "one");
        var v2 = await PutAsync(bucket, "doc", "two");
        await Client.DeleteObjectAsync(bucket, "doc");

        var e = await Assert.ThrowsAsync<GoogleApiException>(() => Client.GetObjectAsync(bucket, "doc"));
        Assert.Equal(HttpStatusCode.NotFound, e.HttpStatusCode);
        var versions = await Client.ListObjectsAsync(bucket, null, new ListObjectsOptions { Versions = true }).ToListAsync();
        Assert.Equal(2, versions.Count);
        Assert.All(versions, v => Assert.NotNull(v.TimeDeletedDateTimeOffset));

        await Client.DeleteObjectAsync(bucket, "doc", new DeleteObjectOptions { Generation = v1.Generation });
        versions = await Client.ListObjectsAsync(bucket, null, new ListObjectsOptions { Versions = true }).ToListAsync();
        Assert.Equal(v2.Generation, Assert.Single(versions).Generation);
        Assert.Equal("two", await ReadAsync(bucket, "doc", new DownloadObjectOptions { Generation = v2.Generation }));

        var gone = await Assert.ThrowsAsync<GoogleApiException>(() => Client.GetObjectAsync(bucket, "doc", new GetObjectOptions { Generation = v1.Generation }));
        Assert.Equal(HttpStatusCode.NotFound, gone.HttpStatusCode);
    }

    [Fact]
    public async Task Overwrite_VersioningOff_DropsOldGeneration()
    {
        var bucket = await NewBucketAsync();
        var v1 = await PutAsync(bucket, "doc", "one");
        await PutAsync(bucket, "doc", "two");
        var e = await Assert.ThrowsAsync<GoogleApiException>(() => ReadAsync(bucket, "doc", new DownloadObjectOptions { Generation = v1.Generation }));
        Assert.Equal(HttpStatusCode.NotFound, e.HttpStatusCode);
        Assert.Single(await Client.ListObjectsAsync(bucket, null, new ListObjectsOptions { Versions = true }).ToListAsync());
    }

    [Fact]
    public async Task PatchNoncurrentGeneration_BumpsItsMetagenerationOnly()
    {
        var bucket = await NewBucketAsync(versioning: true);
        var v1 = await PutAsync(bucket, "doc", "one");
        var v2 = await PutAsync(bucket, "doc", "two");
        var request = Client.Service.Objects.Patch(
            new Google.Apis.Storage.v1.Data.Object { Metadata = new Dictionary<string, string> { ["note"] = "old" } }, bucket, "doc");
        request.Generation = v1.Generation;
        request.IfMetagenerationMatch = 1;
        var patched = await request.ExecuteAsync();
        Assert.Equal(v1.Generation, patched.Generation);
        Assert.Equal("old", patched.Metadata["note"]);
        Assert.Equal(2, patched.Metageneration);
        Assert.Equal(1, (await Client.GetObjectAsync(bucket, "doc")).Metageneration);
        Assert.Equal(v2.Generation, (await Client.GetObjectAsync(bucket, "doc")).Generation);
    }

    [Fact]
    public async Task Generations_StrictlyIncreasingAcrossObjectsInBucket()
    {
        var bucket = await NewBucketAsync();
        var generations = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            generations.Add((await PutAsync(bucket, $"g{i % 3}", "x")).Generation!.Value);
        }

        Assert.Equal(generations.Order(), generations);
        Assert.Equal(generations.Count, generations.Distinct().Count());
    }
}
