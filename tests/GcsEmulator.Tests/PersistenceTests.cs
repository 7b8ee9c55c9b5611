using System.Net;
using EccoStudio.Testing;
using Google;
using Google.Cloud.Storage.V1;

namespace EccoStudio.GcsEmulator.Tests;

/// <summary>The on-disk store (--data DIR): everything survives a restart on the same directory.</summary>
public sealed class PersistenceTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gcs-emu-test-" + Guid.NewGuid().ToString("N"));

    private Task<GcsEmulatorServer> StartAsync() =>
        GcsEmulatorServer.StartAsync(new GcsEmulatorOptions { Port = 0, DataDirectory = _dir, PubSubEmulatorHost = string.Empty });

    [Fact]
    public async Task Restart_SameDataDirectory_DataVersionsAndGenerationsSurvive()
    {
        var bucket = "persist-" + Guid.NewGuid().ToString("N")[..10];
        var longName = "deep/" + string.Concat(Enumerable.Repeat("ü/", 200)) + "end.json";
        long v1, v2, patchedGeneration, lastGeneration;
        await using (var server = await StartAsync())
        {
            using var client = GcsEmulatorFixture.CreateClient(server);
            await client.CreateBucketAsync("ecco-local", new Google.Apis.Storage.v1.Data.Bucket
            {
                Name = bucket,
                Versioning = new Google.Apis.Storage.v1.Data.Bucket.VersioningData { Enabled = true },
                Labels = new Dictionary<string, string> { ["kept"] = "yes" },
            });
            await client.CreateNotificationAsync(bucket, new Google.Apis.Storage.v1.Data.Notification { Topic = "projects/p/topics/t", PayloadFormat = "JSON_API_V1" });
            v1 = (await Upload(client, bucket, "doc", "one")).Generation!.Value;
            v2 = (await Upload(client, bucket, "doc", "two")).Generation!.Value;
            var deleted = await Upload(client, bucket, "gone", "bye");
            await client.DeleteObjectAsync(bucket, "gone");
            var p = await Upload(client, bucket, longName, "long");
            p.Metadata = new Dictionary<string, string> { ["k"] = "v" };
            var patched = await client.PatchObjectAsync(p);
            patchedGeneration = patched.Generation!.Value;
            lastGeneration = patchedGeneration;
            Assert.True(deleted.Generation > v2);
        }

        await using (var server = await StartAsync())
        {
            using var client = GcsEmulatorFixture.CreateClient(server);
            var b = await client.GetBucketAsync(bucket);
            Assert.True(b.Versioning.Enabled);
            Assert.Equal("yes", b.Labels["kept"]);
            Assert.Single(await client.ListNotificationsAsync(bucket));

            Assert.Equal("two", await Read(client, bucket, "doc", null));
            Assert.Equal("one", await Read(client, bucket, "doc", v1));
            var versions = await client.ListObjectsAsync(bucket, "doc", new ListObjectsOptions { Versions = true }).ToListAsync();
            Assert.Equal([v1, v2], versions.Select(o => o.Generation!.Value));

            var e = await Assert.ThrowsAsync<GoogleApiException>(() => client.GetObjectAsync(bucket, "gone"));
            Assert.Equal(HttpStatusCode.NotFound, e.HttpStatusCode);
            Assert.Single(await client.ListObjectsAsync(bucket, "gone", new ListObjectsOptions { Versions = true }).ToListAsync());

            var longObject = await client.GetObjectAsync(bucket, longName);
            Assert.Equal(2, longObject.Metageneration);
            Assert.Equal("v", longObject.Metadata["k"]);
            Assert.Equal("long", await Read(client, bucket, longName, null));

            // Create-only still refuses an existing name, and new generations are above every old one.
            await Assert.ThrowsAsync<GoogleApiException>(() => Upload(client, bucket, "doc", "x", new UploadObjectOptions { IfGenerationMatch = 0 }));
            var v3 = await Upload(client, bucket, "doc", "three", new UploadObjectOptions { IfGenerationMatch = v2 });
            Assert.True(v3.Generation > lastGeneration);

            await client.DeleteObjectAsync(bucket, "doc", new DeleteObjectOptions { Generation = v1 });
        }

        await using (var server = await StartAsync())
        {
            using var client = GcsEmulatorFixture.CreateClient(server);
            var versions = await client.ListObjectsAsync(bucket, "doc", new ListObjectsOptions { Versions = true }).ToListAsync();
            Assert.Equal(2, versions.Count);
            Assert.DoesNotContain(versions, o => o.Generation == v1);
            Assert.Equal("three", await Read(client, bucket, "doc", null));
        }

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_dir, "tmp"), "*", SearchOption.AllDirectories));
    }

    private static Task<Google.Apis.Storage.v1.Data.Object> Upload(StorageClient client, string bucket, string name, string content, UploadObjectOptions? options = null) =>
        client.UploadObjectAsync(bucket, name, "text/plain", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), options);

    private static async Task<string> Read(StorageClient client, string bucket, string name, long? generation)
    {
        using var buffer = new MemoryStream();
        await client.DownloadObjectAsync(bucket, name, buffer, new DownloadObjectOptions { Generation = generation });
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
