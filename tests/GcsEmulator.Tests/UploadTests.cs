using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Testing;
using Google.Cloud.Storage.V1;

namespace EccoStudio.GcsEmulator.Tests;

public sealed class UploadTests(GcsEmulatorFixture fixture) : EmulatorTestBase(fixture)
{
    private static byte[] RandomBytes(int n)
    {
        var data = new byte[n];
        new Random(n).NextBytes(data);
        return data;
    }

    [Fact]
    public async Task UploadObject_SmallChunkSize_UploadsInManyChunks()
    {
        var bucket = await NewBucketAsync();
        var data = RandomBytes((3 * UploadObjectOptions.MinimumChunkSize) + 12345);
        var o = await Client.UploadObjectAsync(bucket, "chunked.bin", "application/octet-stream", new MemoryStream(data),
            new UploadObjectOptions { ChunkSize = UploadObjectOptions.MinimumChunkSize });
        Assert.Equal((ulong)data.Length, o.Size);

        using var buffer = new MemoryStream();
        await Client.DownloadObjectAsync(bucket, "chunked.bin", buffer);
        Assert.Equal(data, buffer.ToArray());
    }

    [Fact]
    public async Task UploadObject_EmptyStream_CreatesEmptyObject()
    {
        var bucket = await NewBucketAsync();
        var o = await Client.UploadObjectAsync(bucket, "empty", "text/plain", new MemoryStream());
        Assert.Equal(0UL, o.Size);
        Assert.Equal(string.Empty, await ReadAsync(bucket, "empty"));
    }

    private async Task<Uri> StartSessionAsync(string bucket, string name, string query = "")
    {
        using var content = new StringContent($"{{\"name\":\"{name}\",\"contentType\":\"application/x-test\"}}", Encoding.UTF8, "application/json");
        using var start = await Http.PostAsync(new Uri($"upload/storage/v1/b/{bucket}/o?uploadType=resumable{query}", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        return start.Headers.Location!;
    }

    private async Task<HttpResponseMessage> PutChunkAsync(Uri session, byte[] data, int offset, int count, string total)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, session) { Content = new ByteArrayContent(data, offset, count) };
        request.Content.Headers.TryAddWithoutValidation("Content-Range", $"bytes {offset}-{offset + count - 1}/{total}");
        return await Http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> QueryStatusAsync(Uri session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, session) { Content = new ByteArrayContent([]) };
        request.Content.Headers.TryAddWithoutValidation("Content-Range", "bytes */*");
        return await Http.SendAsync(request);
    }

    /// <summary>Sends half of the body, then fails, so the connection is cut mid-chunk.</summary>
    private sealed class BrokenContent(byte[] data) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(data.AsMemory(0, data.Length / 2));
            await stream.FlushAsync();
            throw new IOException("simulated network failure");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = data.Length;
            return true;
        }
    }

    [Fact]
    public async Task ResumableUpload_InterruptedChunk_StatusQueryThenResumeCompletes()
    {
        var bucket = await NewBucketAsync();
        var data = RandomBytes(600_000);
        var session = await StartSessionAsync(bucket, "resumed.bin");

        using (var first = await PutChunkAsync(session, data, 0, 262_144, "*"))
        {
            Assert.Equal((HttpStatusCode)308, first.StatusCode);
            Assert.Equal("bytes=0-262143", first.Headers.GetValues("Range").Single());
        }

        // The second chunk breaks off half-way.
        using (var broken = new HttpRequestMessage(HttpMethod.Put, session) { Content = new BrokenContent(data[262_144..524_288]) })
        {
            broken.Content.Headers.TryAddWithoutValidation("Content-Range", $"bytes 262144-524287/{data.Length}");
            await Assert.ThrowsAnyAsync<Exception>(() => Http.SendAsync(broken));
        }

        long resumeAt;
        using (var status = await QueryStatusAsync(session))
        {
            Assert.Equal((HttpStatusCode)308, status.StatusCode);
            var range = status.Headers.GetValues("Range").Single();
            resumeAt = long.Parse(range["bytes=0-".Length..], System.Globalization.CultureInfo.InvariantCulture) + 1;
            Assert.Equal(262_144, resumeAt);
        }

        using (var rest = await PutChunkAsync(session, data, (int)resumeAt, data.Length - (int)resumeAt, data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
            var resource = JsonNode.Parse(await rest.Content.ReadAsStringAsync())!;
            Assert.Equal(data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)resource["size"]);
            Assert.Equal("application/x-test", (string?)resource["contentType"]);
        }

        using var buffer = new MemoryStream();
        await Client.DownloadObjectAsync(bucket, "resumed.bin", buffer);
        Assert.Equal(data, buffer.ToArray());
    }

    [Fact]
    public async Task ResumableUpload_CreateOnlyPreconditionFromInitiation_AppliedAtFinalize()
    {
        var bucket = await NewBucketAsync();
        await PutAsync(bucket, "taken", "x");
        var session = await StartSessionAsync(bucket, "taken", "&ifGenerationMatch=0");
        using var put = await PutChunkAsync(session, [1, 2, 3], 0, 3, "3");
        Assert.Equal(HttpStatusCode.PreconditionFailed, put.StatusCode);
        Assert.Equal("x", await ReadAsync(bucket, "taken"));
    }

    [Fact]
    public async Task ResumableUpload_BadContentRange_400()
    {
        var bucket = await NewBucketAsync();
        var session = await StartSessionAsync(bucket, "bad-range");
        using var request = new HttpRequestMessage(HttpMethod.Put, session) { Content = new ByteArrayContent([1, 2, 3]) };
        request.Content.Headers.TryAddWithoutValidation("Content-Range", "bytes 5-1/3");
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var mismatched = await PutChunkAsync(session, [1, 2, 3], 0, 3, "2");
        Assert.Equal(HttpStatusCode.BadRequest, mismatched.StatusCode);
    }

    [Fact]
    public async Task ResumableUpload_UnknownUploadId_404()
    {
        var bucket = await NewBucketAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"upload/storage/v1/b/{bucket}/o?uploadType=resumable&upload_id=nope", UriKind.Relative))
        {
            Content = new ByteArrayContent([1]),
        };
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(404, (int)error["code"]!);
    }

    [Fact]
    public async Task MediaUpload_NameInQuery_StoresBytesAndContentType()
    {
        var bucket = await NewBucketAsync();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("media body"));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/markdown");
        using var response = await Http.PostAsync(new Uri($"upload/storage/v1/b/{bucket}/o?uploadType=media&name={Escape("m/é.md")}", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var o = await Client.GetObjectAsync(bucket, "m/é.md");
        Assert.Equal("text/markdown", o.ContentType);
        Assert.Equal("media body", await ReadAsync(bucket, "m/é.md"));
    }

    [Fact]
    public async Task MultipartUpload_MetadataAndMedia_StoresBoth()
    {
        var bucket = await NewBucketAsync();
        using var body = new MultipartContent("related", "b0undary");
        body.Add(new StringContent("{\"name\":\"mp.txt\",\"metadata\":{\"x\":\"y\"},\"contentEncoding\":\"identity\"}", Encoding.UTF8, "application/json"));
        var media = new ByteArrayContent(Encoding.UTF8.GetBytes("multipart media"));
        media.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        body.Add(media);
        using var response = await Http.PostAsync(new Uri($"upload/storage/v1/b/{bucket}/o?uploadType=multipart&ifGenerationMatch=0", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var o = await Client.GetObjectAsync(bucket, "mp.txt");
        Assert.Equal("y", o.Metadata["x"]);
        Assert.Equal("text/plain", o.ContentType);
        Assert.Equal("multipart media", await ReadAsync(bucket, "mp.txt"));
    }

    [Fact]
    public async Task MultipartUpload_BareLfAndSingleQuotedBoundary_AsGcloudSends()
    {
        var bucket = await NewBucketAsync();
        var body = "--==b0==\ncontent-type: application/json\nMIME-Version: 1.0\n\n{\"name\": \"lf.txt\", \"contentType\": \"text/plain\"}\n"
            + "--==b0==\ncontent-type: text/plain\nMIME-Version: 1.0\n\nline one\nline two\n--==b0==--";
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/related; boundary='==b0=='");
        using var response = await Http.PostAsync(new Uri($"upload/storage/v1/b/{bucket}/o?uploadType=multipart", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("line one\nline two", await ReadAsync(bucket, "lf.txt"));
    }

    [Fact]
    public async Task MultipartUpload_InvalidJsonMetadata_400()
    {
        var bucket = await NewBucketAsync();
        using var body = new MultipartContent("related", "b0undary");
        body.Add(new StringContent("{not json", Encoding.UTF8, "application/json"));
        body.Add(new ByteArrayContent([1]));
        using var response = await Http.PostAsync(new Uri($"upload/storage/v1/b/{bucket}/o?uploadType=multipart", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task UploadObject_WrongMd5InMetadata_400()
    {
        var bucket = await NewBucketAsync();
        using var content = new StringContent("{\"name\":\"md5\",\"md5Hash\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}", Encoding.UTF8, "application/json");
        using var start = await Http.PostAsync(new Uri($"upload/storage/v1/b/{bucket}/o?uploadType=resumable", UriKind.Relative), content);
        using var put = await PutChunkAsync(start.Headers.Location!, [1, 2], 0, 2, "2");
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
    }

    private async Task<HttpResponseMessage> PutRangeAsync(Uri session, byte[] body, string contentRange)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, session) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Range", contentRange);
        return await Http.SendAsync(request);
    }

    [Theory]
    [InlineData("bytes 0-*/*")]
    [InlineData("bytes 0-*/10")]
    public async Task ResumableChunk_OpenEndedRange_FinalizesWithTheBody(string contentRange)
    {
        var bucket = await NewBucketAsync();
        var session = await StartSessionAsync(bucket, "open-ended");
        using var put = await PutRangeAsync(session, "0123456789"u8.ToArray(), contentRange);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("0123456789", await ReadAsync(bucket, "open-ended"));
    }

    [Fact]
    public async Task ResumableChunk_OpenEndedRangeAfterChunk_AppendsTheRest()
    {
        var bucket = await NewBucketAsync();
        var session = await StartSessionAsync(bucket, "rest");
        var data = RandomBytes(300);
        using var first = await PutChunkAsync(session, data, 0, 100, "*");
        Assert.Equal(308, (int)first.StatusCode);
        using var rest = await PutRangeAsync(session, data[100..], "bytes 100-*/*");
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        using var buffer = new MemoryStream();
        await Client.DownloadObjectAsync(bucket, "rest", buffer);
        Assert.Equal(data, buffer.ToArray());
    }

    [Fact]
    public async Task ResumableChunk_StarRangeWithTotal_FinalizesAtThatSize()
    {
        // Go's client (google-api-go-client gensupport) ends a chunked upload whose data ran out with bytes */N.
        var bucket = await NewBucketAsync();
        var session = await StartSessionAsync(bucket, "star-total");
        var data = RandomBytes(200);
        using var chunk = await PutChunkAsync(session, data, 0, 200, "*");
        Assert.Equal(308, (int)chunk.StatusCode);
        using var last = await PutRangeAsync(session, [], "bytes */200");
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Equal(200UL, (await Client.GetObjectAsync(bucket, "star-total")).Size);
    }

    [Fact]
    public async Task ResumableChunk_EmptyFinalChunk_FinalizesAtThatSize()
    {
        // Node's client declares the total with an empty request (bytes N-(N-1)/N) when the data was an exact multiple.
        var bucket = await NewBucketAsync();
        var session = await StartSessionAsync(bucket, "empty-last");
        var data = RandomBytes(64);
        using var chunk = await PutChunkAsync(session, data, 0, 64, "*");
        using var last = await PutRangeAsync(session, [], "bytes 64-63/64");
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Equal(64UL, (await Client.GetObjectAsync(bucket, "empty-last")).Size);
    }

    [Fact]
    public async Task Upload_WithoutStorageV1Prefix_IsServed()
    {
        // What @google-cloud/storage sends when STORAGE_EMULATOR_HOST=http://host:port: /b/{bucket}/o/...
        var bucket = await NewBucketAsync();
        await PutAsync(bucket, "a/b.txt", "hi");
        using var get = await Http.GetAsync(new Uri($"b/{bucket}/o/{Escape("a/b.txt")}?alt=media", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("hi", await get.Content.ReadAsStringAsync());
        using var list = await Http.GetAsync(new Uri($"b/{bucket}/o?prefix=a/", UriKind.Relative));
        Assert.Contains("a/b.txt", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
