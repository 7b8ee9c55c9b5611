using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Testing;
using Google;
using Google.Apis.Storage.v1.Data;
using Google.Cloud.Storage.V1;

namespace EccoStudio.GcsEmulator.Tests;

public sealed class CopyComposeTests(GcsEmulatorFixture fixture) : EmulatorTestBase(fixture)
{
    [Fact]
    public async Task CopyObject_ClientUsesRewrite_CopiesBytesAndMetadata()
    {
        var source = await NewBucketAsync();
        var target = await NewBucketAsync();
        var o = await Client.UploadObjectAsync(
            new Google.Apis.Storage.v1.Data.Object { Bucket = source, Name = "src", ContentType = "text/csv", Metadata = new Dictionary<string, string> { ["m"] = "1" } },
            new MemoryStream(Encoding.UTF8.GetBytes("a,b")));
        var copy = await Client.CopyObjectAsync(source, "src", target, "dst/copy", new CopyObjectOptions { IfGenerationMatch = 0, IfSourceGenerationMatch = o.Generation });
        Assert.Equal("text/csv", copy.ContentType);
        Assert.Equal("1", copy.Metadata["m"]);
        Assert.Equal(o.Crc32c, copy.Crc32c);
        Assert.Equal("a,b", await ReadAsync(target, "dst/copy"));

        var again = await Assert.ThrowsAsync<GoogleApiException>(
            () => Client.CopyObjectAsync(source, "src", target, "dst/copy", new CopyObjectOptions { IfGenerationMatch = 0 }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, again.HttpStatusCode);
        var staleSource = await Assert.ThrowsAsync<GoogleApiException>(
            () => Client.CopyObjectAsync(source, "src", target, "other", new CopyObjectOptions { IfSourceGenerationMatch = o.Generation + 1 }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleSource.HttpStatusCode);
    }

    [Fact]
    public async Task Rewrite_Raw_ReturnsDoneWithResource()
    {
        var bucket = await NewBucketAsync();
        await PutAsync(bucket, "r/src", "rewrite me");
        using var response = await Http.PostAsync(new Uri($"storage/v1/b/{bucket}/o/{Escape("r/src")}/rewriteTo/b/{bucket}/o/{Escape("r/dst")}", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("storage#rewriteResponse", (string?)body["kind"]);
        Assert.True((bool)body["done"]!);
        Assert.Equal("10", (string?)body["totalBytesRewritten"]);
        Assert.Equal("r/dst", (string?)body["resource"]!["name"]);
        Assert.Equal("rewrite me", await ReadAsync(bucket, "r/dst"));
    }

    [Fact]
    public async Task CopyTo_SourceGenerationAndPreconditions_Honoured()
    {
        var bucket = await NewBucketAsync(versioning: true);
        var v1 = await PutAsync(bucket, "s", "first");
        await PutAsync(bucket, "s", "second");
        var request = Client.Service.Objects.Copy(new Google.Apis.Storage.v1.Data.Object(), bucket, "s", bucket, "c");
        request.SourceGeneration = v1.Generation;
        request.IfGenerationMatch = 0;
        var copied = await request.ExecuteAsync();
        Assert.Equal("c", copied.Name);
        Assert.Equal("first", await ReadAsync(bucket, "c"));

        var stale = Client.Service.Objects.Copy(new Google.Apis.Storage.v1.Data.Object(), bucket, "s", bucket, "c2");
        stale.IfSourceMetagenerationMatch = 7;
        var e = await Assert.ThrowsAsync<GoogleApiException>(() => stale.ExecuteAsync());
        Assert.Equal(HttpStatusCode.PreconditionFailed, e.HttpStatusCode);

        var notMatch = Client.Service.Objects.Copy(new Google.Apis.Storage.v1.Data.Object(), bucket, "s", bucket, "c");
        notMatch.IfGenerationNotMatch = copied.Generation;
        var e2 = await Assert.ThrowsAsync<GoogleApiException>(() => notMatch.ExecuteAsync());
        Assert.Equal(HttpStatusCode.PreconditionFailed, e2.HttpStatusCode);
    }

    [Fact]
    public async Task Compose_Sources_ConcatenatedWithPreconditions()
    {
        var bucket = await NewBucketAsync();
        var a = await PutAsync(bucket, "part-a", "hello ");
        await PutAsync(bucket, "part-b", "world");
        var compose = new ComposeRequest
        {
            SourceObjects =
            [
                new ComposeRequest.SourceObjectsData { Name = "part-a", ObjectPreconditions = new ComposeRequest.SourceObjectsData.ObjectPreconditionsData { IfGenerationMatch = a.Generation } },
                new ComposeRequest.SourceObjectsData { Name = "part-b" },
            ],
            Destination = new Google.Apis.Storage.v1.Data.Object { ContentType = "text/plain" },
        };
        var request = Client.Service.Objects.Compose(compose, bucket, "joined");
        request.IfGenerationMatch = 0;
        var joined = await request.ExecuteAsync();
        Assert.Equal(2, joined.ComponentCount);
        Assert.Equal(11UL, joined.Size);
        Assert.Equal("hello world", await ReadAsync(bucket, "joined"));

        var again = Client.Service.Objects.Compose(compose, bucket, "joined");
        again.IfGenerationMatch = 0;
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Assert.ThrowsAsync<GoogleApiException>(() => again.ExecuteAsync())).HttpStatusCode);

        compose.SourceObjects[0].ObjectPreconditions.IfGenerationMatch = a.Generation + 1;
        var staleSource = Client.Service.Objects.Compose(compose, bucket, "joined2");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Assert.ThrowsAsync<GoogleApiException>(() => staleSource.ExecuteAsync())).HttpStatusCode);

        var missing = Client.Service.Objects.Compose(
            new ComposeRequest { SourceObjects = [new ComposeRequest.SourceObjectsData { Name = "nope" }] }, bucket, "joined3");
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<GoogleApiException>(() => missing.ExecuteAsync())).HttpStatusCode);
    }
}
