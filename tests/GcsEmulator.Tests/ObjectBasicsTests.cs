using System.Net;
using System.Text;
using EccoStudio.Testing;
using Google;
using Google.Cloud.Storage.V1;

namespace EccoStudio.GcsEmulator.Tests;

public sealed class ObjectBasicsTests(GcsEmulatorFixture fixture) : IClassFixture<GcsEmulatorFixture>
{
    private readonly StorageClient _client = fixture.CreateClient();

    private async Task<string> NewBucketAsync()
    {
        var bucket = fixture.NewBucketName();
        await _client.CreateBucketAsync(fixture.ProjectId, bucket);
        return bucket;
    }

    [Fact]
    public async Task UploadObject_ThenDownload_ReturnsSameBytesAndMetadata()
    {
        var bucket = await NewBucketAsync();
        var content = Encoding.UTF8.GetBytes("{\"hello\":\"world\"}");
        var uploaded = await _client.UploadObjectAsync(
            new Google.Apis.Storage.v1.Data.Object
            {
                Bucket = bucket,
                Name = "dir/a b/ü.json",
                ContentType = "application/json",
                Metadata = new Dictionary<string, string> { ["k"] = "v" },
            },
            new MemoryStream(content));

        Assert.Equal("dir/a b/ü.json", uploaded.Name);
        Assert.Equal((ulong)content.Length, uploaded.Size);
        Assert.Equal(1, uploaded.Metageneration);
        Assert.True(uploaded.Generation > 0);
        Assert.Equal("application/json", uploaded.ContentType);
        Assert.Equal("v", uploaded.Metadata["k"]);
        Assert.Equal(Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(content)), uploaded.Md5Hash);
        Assert.False(string.IsNullOrEmpty(uploaded.Crc32c));

        using var downloaded = new MemoryStream();
        await _client.DownloadObjectAsync(bucket, "dir/a b/ü.json", downloaded);
        Assert.Equal(content, downloaded.ToArray());

        var fetched = await _client.GetObjectAsync(bucket, "dir/a b/ü.json");
        Assert.Equal(uploaded.Generation, fetched.Generation);
        Assert.Equal(uploaded.Crc32c, fetched.Crc32c);
    }

    [Fact]
    public async Task FixtureCreateBucket_VersionedUniqueNames_Ready()
    {
        var a = await fixture.CreateBucketAsync(versioning: true);
        var b = await fixture.CreateBucketAsync();
        Assert.NotEqual(a, b);
        Assert.True((await _client.GetBucketAsync(a)).Versioning.Enabled);
        Assert.Null((await _client.GetBucketAsync(b)).Versioning);
        Assert.Equal($"127.0.0.1:{fixture.Server.BaseUri.Port}", fixture.StorageEmulatorHost);
    }

    [Fact]
    public async Task GetObject_Missing_Throws404()
    {
        var bucket = await NewBucketAsync();
        var e = await Assert.ThrowsAsync<GoogleApiException>(() => _client.GetObjectAsync(bucket, "nope"));
        Assert.Equal(HttpStatusCode.NotFound, e.HttpStatusCode);
    }

    [Fact]
    public async Task UploadObject_IfGenerationMatchZeroTwice_SecondFails412()
    {
        var bucket = await NewBucketAsync();
        var options = new UploadObjectOptions { IfGenerationMatch = 0 };
        await _client.UploadObjectAsync(bucket, "once", "text/plain", new MemoryStream([1]), options);
        var e = await Assert.ThrowsAsync<GoogleApiException>(
            () => _client.UploadObjectAsync(bucket, "once", "text/plain", new MemoryStream([2]), options));
        Assert.Equal(HttpStatusCode.PreconditionFailed, e.HttpStatusCode);
        Assert.Equal("conditionNotMet", e.Error.Errors[0].Reason);
    }
}
