using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Testing;
using Google;

namespace EccoStudio.GcsEmulator.Tests;

public sealed class BadRequestTests(GcsEmulatorFixture fixture) : EmulatorTestBase(fixture)
{
    private async Task<(HttpStatusCode Status, JsonNode? Error)> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text)?["error"]);
    }

    public static TheoryData<string> BadNames => new()
    {
        ".",
        "..",
        "line\nbreak",
        "carriage\rreturn",
        new string('x', 1025),
        string.Concat(Enumerable.Repeat("é", 513)),
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task MediaUpload_BadObjectName_400WithGcsError(string name)
    {
        var bucket = await NewBucketAsync();
        var (status, error) = await SendAsync(HttpMethod.Post, $"upload/storage/v1/b/{bucket}/o?uploadType=media&name={Escape(name)}", "x", "text/plain");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, (int)error!["code"]!);
        Assert.False(string.IsNullOrEmpty((string?)error["errors"]![0]!["reason"]));
    }

    [Fact]
    public async Task ClientUpload_EmptyOrDotName_Rejected4xx()
    {
        var bucket = await NewBucketAsync();
        var e = await Assert.ThrowsAsync<GoogleApiException>(() => PutAsync(bucket, "..", "x"));
        Assert.Equal(HttpStatusCode.BadRequest, e.HttpStatusCode);
        var (status, _) = await SendAsync(HttpMethod.Post, $"upload/storage/v1/b/{bucket}/o?uploadType=media", "x", "text/plain");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var (getStatus, _) = await SendAsync(HttpMethod.Get, $"storage/v1/b/{bucket}/o/");
        Assert.Equal(HttpStatusCode.BadRequest, getStatus);
    }

    [Fact]
    public async Task InvalidJson_OnMetadataCalls_400()
    {
        var bucket = await NewBucketAsync();
        await PutAsync(bucket, "o", "x");
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Patch, $"storage/v1/b/{bucket}/o/o", "{broken")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Post, $"upload/storage/v1/b/{bucket}/o?uploadType=resumable", "[1,2")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Post, "storage/v1/b?project=p", "{\"name\":")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Patch, $"storage/v1/b/{bucket}/o/o", "{\"metadata\":[1]}")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Post, $"storage/v1/b/{bucket}/o/o/compose", "{}")).Status);
    }

    [Fact]
    public async Task BadParameters_400()
    {
        var bucket = await NewBucketAsync();
        await PutAsync(bucket, "o", "x");
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, $"storage/v1/b/{bucket}/o/o?ifGenerationMatch=abc")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, $"storage/v1/b/{bucket}/o?pageToken=%%%")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Post, $"upload/storage/v1/b/{bucket}/o?uploadType=bogus&name=x", "x")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Post, "storage/v1/b?project=p", "{\"name\":\"Bad_Name!\"}")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Post, $"storage/v1/b/{bucket}/notificationConfigs", "{\"topic\":\"nope\"}")).Status);
    }

    [Fact]
    public async Task UnknownThings_404()
    {
        var bucket = await NewBucketAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "storage/v1/b/no-such-bucket-abc")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"storage/v1/b/{bucket}/o/none")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, $"storage/v1/b/{bucket}/o/none")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"download/storage/v1/b/{bucket}/o/none?alt=media")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"storage/v1/b/{bucket}/notificationConfigs/99")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "nothing-here")).Status);
    }

    [Fact]
    public async Task EncodedSlashInName_TreatedAsOneObjectName()
    {
        var bucket = await NewBucketAsync();
        await PutAsync(bucket, "a/b/c", "nested");
        var (status, _) = await SendAsync(HttpMethod.Get, $"storage/v1/b/{bucket}/o/a%2Fb%2Fc");
        Assert.Equal(HttpStatusCode.OK, status);
        var meta = await Client.GetObjectAsync(bucket, "a/b/c");
        Assert.Equal("a/b/c", meta.Name);
    }
}
