using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using EccoStudio.Testing;
using Google.Cloud.Storage.V1;

namespace EccoStudio.GcsEmulator.Tests;

public sealed class DownloadTests(GcsEmulatorFixture fixture) : EmulatorTestBase(fixture)
{
    [Fact]
    public async Task DownloadObject_Range_Returns206Slice()
    {
        var bucket = await NewBucketAsync();
        await PutAsync(bucket, "r", "0123456789");
        Assert.Equal("2345", await ReadAsync(bucket, "r", new DownloadObjectOptions { Range = new RangeHeaderValue(2, 5) }));

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"download/storage/v1/b/{bucket}/o/r?alt=media", UriKind.Relative));
        request.Headers.Range = new RangeHeaderValue(7, null);
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 7-9/10", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal("789", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Download_SuffixRangeAndUnsatisfiable_206And416()
    {
        var bucket = await NewBucketAsync();
        await PutAsync(bucket, "r", "0123456789");
        using var suffix = new HttpRequestMessage(HttpMethod.Get, new Uri($"storage/v1/b/{bucket}/o/r?alt=media", UriKind.Relative));
        suffix.Headers.TryAddWithoutValidation("Range", "bytes=-3");
        using var suffixResponse = await Http.SendAsync(suffix);
        Assert.Equal(HttpStatusCode.PartialContent, suffixResponse.StatusCode);
        Assert.Equal("789", await suffixResponse.Content.ReadAsStringAsync());

        using var beyond = new HttpRequestMessage(HttpMethod.Get, new Uri($"storage/v1/b/{bucket}/o/r?alt=media", UriKind.Relative));
        beyond.Headers.TryAddWithoutValidation("Range", "bytes=10-20");
        using var beyondResponse = await Http.SendAsync(beyond);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyondResponse.StatusCode);
    }

    [Fact]
    public async Task Download_Headers_CarryGenerationAndHashes()
    {
        var bucket = await NewBucketAsync();
        var o = await PutAsync(bucket, "h", "hash me");
        using var response = await Http.GetAsync(new Uri($"download/storage/v1/b/{bucket}/o/h?alt=media", UriKind.Relative));
        Assert.Equal(o.Generation.ToString(), response.Headers.GetValues("x-goog-generation").Single());
        var hash = response.Headers.GetValues("x-goog-hash").Single();
        Assert.Contains($"crc32c={o.Crc32c}", hash, StringComparison.Ordinal);
        Assert.Contains($"md5={o.Md5Hash}", hash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_GzipObject_DecompressedUnlessClientAcceptsGzip()
    {
        var bucket = await NewBucketAsync();
        var plain = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("compress me ", 100)));
        using var gz = new MemoryStream();
        await using (var zip = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true))
        {
            await zip.WriteAsync(plain);
        }

        var stored = gz.ToArray();
        var o = await Client.UploadObjectAsync(
            new Google.Apis.Storage.v1.Data.Object { Bucket = bucket, Name = "z.txt", ContentType = "text/plain", ContentEncoding = "gzip" },
            new MemoryStream(stored));
        Assert.Equal((ulong)stored.Length, o.Size);
        Assert.Equal("gzip", o.ContentEncoding);

        // No Accept-Encoding: served decompressed.
        using var raw = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = Fixture.Server.BaseUri };
        using var plainResponse = await raw.GetAsync(new Uri($"download/storage/v1/b/{bucket}/o/z.txt?alt=media", UriKind.Relative));
        Assert.Empty(plainResponse.Content.Headers.ContentEncoding);
        Assert.Equal(plain, await plainResponse.Content.ReadAsByteArrayAsync());

        // Accept-Encoding: gzip: served as stored.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"download/storage/v1/b/{bucket}/o/z.txt?alt=media", UriKind.Relative));
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var gzResponse = await raw.SendAsync(request);
        Assert.Equal("gzip", gzResponse.Content.Headers.ContentEncoding.Single());
        Assert.Equal(stored, await gzResponse.Content.ReadAsByteArrayAsync());

        // The real client ends up with the original text.
        Assert.Equal(Encoding.UTF8.GetString(plain), await ReadAsync(bucket, "z.txt"));
    }

    [Fact]
    public async Task Download_MediaLink_Works()
    {
        var bucket = await NewBucketAsync();
        var o = await PutAsync(bucket, "a/b c", "linked");
        using var response = await Http.GetAsync(new Uri(o.MediaLink));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("linked", await response.Content.ReadAsStringAsync());
    }
}
