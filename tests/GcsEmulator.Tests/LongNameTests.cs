using System.Net;
using System.Text;
using EccoStudio.Testing;
using Google;
using Google.Cloud.Storage.V1;

namespace EccoStudio.GcsEmulator.Tests;

/// <summary>Names at GCS's 1024-byte limit make URLs longer than the client's 2048-char limit (it then tunnels GETs as POST).</summary>
public sealed class LongNameTests(GcsEmulatorFixture fixture) : EmulatorTestBase(fixture)
{
    private static readonly string MaxName = "long/" + string.Concat(Enumerable.Repeat("é", (1024 - 5) / 2));

    [Fact]
    public async Task MaxLengthName_FullLifecycleWithRealClient_Works()
    {
        Assert.True(Encoding.UTF8.GetByteCount(MaxName) <= 1024);
        var bucket = await NewBucketAsync();
        var created = await PutAsync(bucket, MaxName, "long", new UploadObjectOptions { IfGenerationMatch = 0 });
        Assert.Equal(MaxName, created.Name);

        var fetched = await Client.GetObjectAsync(bucket, MaxName, new GetObjectOptions { IfGenerationMatch = created.Generation });
        Assert.Equal(created.Generation, fetched.Generation);
        Assert.Equal("long", await ReadAsync(bucket, MaxName));
        Assert.Equal(MaxName, Assert.Single(await Client.ListObjectsAsync(bucket, "long/").ToListAsync()).Name);

        fetched.Metadata = new Dictionary<string, string> { ["k"] = "v" };
        var patched = await Client.PatchObjectAsync(fetched, new PatchObjectOptions { IfMetagenerationMatch = 1 });
        Assert.Equal(2, patched.Metageneration);

        await Client.DeleteObjectAsync(bucket, MaxName, new DeleteObjectOptions { IfGenerationMatch = created.Generation });
        var e = await Assert.ThrowsAsync<GoogleApiException>(() => Client.GetObjectAsync(bucket, MaxName));
        Assert.Equal(HttpStatusCode.NotFound, e.HttpStatusCode);
    }

    [Fact]
    public async Task NameOver1024Bytes_Rejected400()
    {
        var bucket = await NewBucketAsync();
        var e = await Assert.ThrowsAsync<GoogleApiException>(() => PutAsync(bucket, MaxName + "éé", "x"));
        Assert.Equal(HttpStatusCode.BadRequest, e.HttpStatusCode);
    }
}
