using System.Text;
using EccoStudio.Storage.Store;
using EccoStudio.Testing;
using Google.Cloud.Storage.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace EccoStudio.Storage.Tests.Store;

public sealed class MultipartUploadTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    [Theory]
    [InlineData("https://storage.googleapis.com/storage/v1/", "https://storage.googleapis.com/upload/storage/v1/")]
    [InlineData("http://127.0.0.1:4443/storage/v1/", "http://127.0.0.1:4443/upload/storage/v1/")]
    public void UploadBase_ClientBaseUri_PointsAtUploadEndpoint(string baseUri, string expected)
    {
        using var client = new StorageClientBuilder { BaseUri = baseUri, UnauthenticatedAccess = true }.Build();

        Assert.Equal(expected, MultipartUploader.UploadBase(client).ToString());
    }

    [Theory]
    [InlineData(0, 64 * 1024)]
    [InlineData(400, 64 * 1024)]
    [InlineData(1_000_000, 1_000_001)]
    [InlineData(50_000_000, 10 * 1024 * 1024)]
    public void DownloadChunkSize_ObjectSize_SizedToObjectWithinBounds(long size, int expected) =>
        Assert.Equal(expected, GcsObjectStore.DownloadChunkSize((ulong)size));

    [Theory]
    [InlineData(1024 * 1024)] // one multipart request
    [InlineData(16)] // above the limit: the client's resumable upload
    public async Task PutAsync_EitherUploadKind_LandsSameBytesMetadataAndPreconditions(int singleRequestMax)
    {
        var bucket = await emulator.CreateBucketAsync();
        var store = new GcsObjectStore(emulator.CreateClient(), new ObjectStoreOptions { SingleRequestUploadMaxBytes = singleRequestMax, GzipThresholdBytes = 1024 },
            new StorageOperationCounter(), NullLogger<GcsObjectStore>.Instance);
        var small = Encoding.UTF8.GetBytes("""{"id":"V1","note":"ünïcode ✓"}""");
        var large = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 5000) + "\"}");
        var metadata = new Dictionary<string, string> { ["ecco-last-applied"] = "2025-11-06T10:21:23Z|01HFB9ZK3Q7W8X9Y0ABCDEFGHJ" };

        var created = await store.PutAsync(bucket, "a/small.json", small, new PutOptions { IfGenerationMatch = 0, Metadata = metadata });
        await store.PutAsync(bucket, "a/large.json", large, PutOptions.CreateOnly);
        await Assert.ThrowsAsync<PreconditionFailedException>(() => store.PutAsync(bucket, "a/small.json", small, PutOptions.CreateOnly));
        var replaced = await store.PutAsync(bucket, "a/small.json", large, PutOptions.Replacing(created.Generation));

        Assert.True(replaced.Generation > created.Generation);
        var readSmall = await store.GetAsync(bucket, "a/small.json", created.Generation);
        Assert.Null(readSmall); // unversioned bucket: the replaced generation is gone
        var current = await store.GetAsync(bucket, "a/small.json");
        Assert.Equal(large, current!.Content.ToArray());
        var readLarge = await store.GetAsync(bucket, "a/large.json");
        Assert.Equal(large, readLarge!.Content.ToArray());
        Assert.Equal("gzip", readLarge.Info.ContentEncoding);
        Assert.Equal(metadata["ecco-last-applied"], created.Metadata["ecco-last-applied"]);
    }
}
