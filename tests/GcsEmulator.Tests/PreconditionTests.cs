using System.Net;
using EccoStudio.Testing;
using Google;
using Google.Cloud.Storage.V1;

namespace EccoStudio.GcsEmulator.Tests;

public sealed class PreconditionTests(GcsEmulatorFixture fixture) : EmulatorTestBase(fixture)
{
    private static async Task<HttpStatusCode> StatusOf(Func<Task> call)
    {
        try
        {
            await call();
            return HttpStatusCode.OK;
        }
        catch (GoogleApiException e)
        {
            return e.HttpStatusCode;
        }
    }

    [Fact]
    public async Task GetObject_Preconditions_412And304AsGcs()
    {
        var bucket = await NewBucketAsync();
        var o = await PutAsync(bucket, "p", "x");
        var g = o.Generation!.Value;

        Assert.Equal(HttpStatusCode.OK, await StatusOf(() => Client.GetObjectAsync(bucket, "p", new GetObjectOptions { IfGenerationMatch = g })));
        Assert.Equal(HttpStatusCode.PreconditionFailed, await StatusOf(() => Client.GetObjectAsync(bucket, "p", new GetObjectOptions { IfGenerationMatch = g + 1 })));
        Assert.Equal(HttpStatusCode.NotModified, await StatusOf(() => Client.GetObjectAsync(bucket, "p", new GetObjectOptions { IfGenerationNotMatch = g })));
        Assert.Equal(HttpStatusCode.PreconditionFailed, await StatusOf(() => Client.GetObjectAsync(bucket, "p", new GetObjectOptions { IfMetagenerationMatch = 2 })));
        Assert.Equal(HttpStatusCode.NotModified, await StatusOf(() => Client.GetObjectAsync(bucket, "p", new GetObjectOptions { IfMetagenerationNotMatch = 1 })));
    }

    [Fact]
    public async Task DownloadObject_Preconditions_412And304()
    {
        var bucket = await NewBucketAsync();
        var g = (await PutAsync(bucket, "d", "x")).Generation!.Value;
        Assert.Equal(HttpStatusCode.PreconditionFailed, await StatusOf(() => ReadAsync(bucket, "d", new DownloadObjectOptions { IfGenerationMatch = g + 1 })));
        Assert.Equal("x", await ReadAsync(bucket, "d", new DownloadObjectOptions { IfGenerationMatch = g }));

        using var response = await Http.GetAsync(new Uri($"download/storage/v1/b/{bucket}/o/d?alt=media&ifGenerationNotMatch={g}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task PatchObject_MetagenerationMatch_BumpsMetagenerationAndRejectsStale()
    {
        var bucket = await NewBucketAsync();
        var o = await PutAsync(bucket, "m", "x");
        Assert.Equal(1, o.Metageneration);

        o.Metadata = new Dictionary<string, string> { ["a"] = "1" };
        var patched = await Client.PatchObjectAsync(o, new PatchObjectOptions { IfMetagenerationMatch = 1 });
        Assert.Equal(2, patched.Metageneration);
        Assert.Equal(o.Generation, patched.Generation);
        Assert.Equal("1", patched.Metadata["a"]);

        Assert.Equal(HttpStatusCode.PreconditionFailed, await StatusOf(() => Client.PatchObjectAsync(o, new PatchObjectOptions { IfMetagenerationMatch = 1 })));
        // NotMatch on a mutation is 412, not 304.
        Assert.Equal(HttpStatusCode.PreconditionFailed, await StatusOf(() => Client.PatchObjectAsync(o, new PatchObjectOptions { IfMetagenerationNotMatch = 2 })));
        Assert.Equal(HttpStatusCode.PreconditionFailed, await StatusOf(() => Client.PatchObjectAsync(o, new PatchObjectOptions { IfGenerationMatch = o.Generation + 1 })));

        patched.ContentType = "application/json";
        var updated = await Client.UpdateObjectAsync(patched, new UpdateObjectOptions { IfMetagenerationMatch = 2 });
        Assert.Equal(3, updated.Metageneration);
        Assert.Equal("application/json", updated.ContentType);
    }

    [Fact]
    public async Task PatchObject_MetadataNullValue_RemovesKeyKeepsOthers()
    {
        var bucket = await NewBucketAsync();
        await Client.UploadObjectAsync(
            new Google.Apis.Storage.v1.Data.Object { Bucket = bucket, Name = "md", Metadata = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } },
            new MemoryStream([1]));
        using var body = new StringContent("{\"metadata\":{\"a\":null,\"c\":\"3\"}}", System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.PatchAsync(new Uri($"storage/v1/b/{bucket}/o/md?ifMetagenerationMatch=1", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var o = await Client.GetObjectAsync(bucket, "md");
        Assert.Equal(["b", "c"], o.Metadata.Keys.Order());
        Assert.Equal(2, o.Metageneration);
    }

    [Fact]
    public async Task DeleteObject_GenerationPreconditions_412WhenStale()
    {
        var bucket = await NewBucketAsync();
        var g = (await PutAsync(bucket, "del", "x")).Generation!.Value;
        Assert.Equal(HttpStatusCode.PreconditionFailed, await StatusOf(() => Client.DeleteObjectAsync(bucket, "del", new DeleteObjectOptions { IfGenerationMatch = g + 1 })));
        Assert.Equal(HttpStatusCode.PreconditionFailed, await StatusOf(() => Client.DeleteObjectAsync(bucket, "del", new DeleteObjectOptions { IfGenerationNotMatch = g })));
        Assert.Equal(HttpStatusCode.PreconditionFailed, await StatusOf(() => Client.DeleteObjectAsync(bucket, "del", new DeleteObjectOptions { IfMetagenerationMatch = 5 })));
        await Client.DeleteObjectAsync(bucket, "del", new DeleteObjectOptions { IfGenerationMatch = g });
        Assert.Equal(HttpStatusCode.NotFound, await StatusOf(() => Client.GetObjectAsync(bucket, "del")));
    }

    [Fact]
    public async Task UploadObject_GenerationNotMatchAndMetagenerationMatch_Enforced()
    {
        var bucket = await NewBucketAsync();
        var g = (await PutAsync(bucket, "u", "1")).Generation!.Value;
        Assert.Equal(HttpStatusCode.PreconditionFailed, await StatusOf(() => PutAsync(bucket, "u", "2", new UploadObjectOptions { IfGenerationNotMatch = g })));
        Assert.Equal(HttpStatusCode.PreconditionFailed, await StatusOf(() => PutAsync(bucket, "u", "2", new UploadObjectOptions { IfMetagenerationMatch = 9 })));
        var second = await PutAsync(bucket, "u", "2", new UploadObjectOptions { IfGenerationMatch = g, IfMetagenerationMatch = 1 });
        Assert.True(second.Generation > g);
        Assert.Equal(1, second.Metageneration);
    }
}
