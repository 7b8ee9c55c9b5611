using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Testing;
using Google.Apis.Storage.v1.Data;
using Google.Cloud.Storage.V1;

namespace EccoStudio.GcsEmulator.Tests;

/// <summary>
/// Drives the preinstalled <c>gcloud storage</c> CLI (a real, independent JSON API client) against the emulator.
/// About a dozen gcloud invocations in all (each takes seconds); checks go through the .NET client where possible.
/// </summary>
public sealed class GcloudCliTests : IClassFixture<GcsEmulatorFixture>, IDisposable
{
    private readonly GcsEmulatorFixture _emulator;
    private readonly GcloudCli _gcloud;
    private readonly StorageClient _client;
    private readonly string _dir = Directory.CreateTempSubdirectory("gcloud-files-").FullName;

    public GcloudCliTests(GcsEmulatorFixture emulator)
    {
        _emulator = emulator;
        _gcloud = new GcloudCli(emulator.Server.BaseUri, emulator.ProjectId);
        _client = emulator.CreateClient();
    }

    public void Dispose()
    {
        _gcloud.Dispose();
        _client.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task BucketsCreateAndDescribe_NewBucket_DescribedByName()
    {
        var bucket = _emulator.NewBucketName("gc");

        var created = await _gcloud.RunAsync("storage", "buckets", "create", $"gs://{bucket}");
        var described = await _gcloud.RunAsync("storage", "buckets", "describe", $"gs://{bucket}", "--format=json");

        Assert.True(created.Succeeded, created.ToString());
        Assert.True(described.Succeeded, described.ToString());
        var json = JsonNode.Parse(described.StandardOutput)!.AsObject();
        Assert.Equal(bucket, json["name"]!.GetValue<string>());
        Assert.Equal(bucket, (await _client.GetBucketAsync(bucket)).Name);
    }

    [Fact]
    public async Task Cp_SmallFileUpAndDown_ContentAndMd5Equal()
    {
        var bucket = await NewBucketAsync(versioning: false);
        var content = Encoding.UTF8.GetBytes("{\"hello\":\"gcloud\"}\n");
        var source = WriteFile("small.json", content);
        var target = Path.Combine(_dir, "small-down.json");

        var up = await _gcloud.RunAsync("storage", "cp", source, $"gs://{bucket}/dir/small.json");
        var down = await _gcloud.RunAsync("storage", "cp", $"gs://{bucket}/dir/small.json", target);

        Assert.True(up.Succeeded, up.ToString());
        Assert.True(down.Succeeded, down.ToString());
        Assert.Equal(content, await File.ReadAllBytesAsync(target));
        var meta = await _client.GetObjectAsync(bucket, "dir/small.json");
        Assert.Equal((ulong)content.Length, meta.Size);
        Assert.Equal(Convert.ToBase64String(MD5.HashData(content)), meta.Md5Hash);
    }

    [Fact]
    public async Task Cp_LargeFileAboveResumableThreshold_UploadedIntact()
    {
        // gcloud switches to a resumable session (POST /resumable/upload/..., then PUT with Content-Range) above
        // its 8 MiB default threshold.
        var bucket = await NewBucketAsync(versioning: false);
        var content = new byte[9 * 1024 * 1024 + 123];
        new Random(7).NextBytes(content);
        var source = WriteFile("large.bin", content);

        var up = await _gcloud.RunAsync("storage", "cp", source, $"gs://{bucket}/large.bin");

        Assert.True(up.Succeeded, up.ToString());
        using var downloaded = new MemoryStream();
        await _client.DownloadObjectAsync(bucket, "large.bin", downloaded);
        Assert.Equal(content.Length, downloaded.Length);
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(downloaded.ToArray()));
    }

    [Fact]
    public async Task Cp_IfGenerationMatch_CurrentGenerationWinsStaleOneFailsWith412()
    {
        var bucket = await NewBucketAsync(versioning: false);
        var first = await _client.UploadObjectAsync(bucket, "cas.txt", "text/plain", new MemoryStream("v1"u8.ToArray()));
        var generation = first.Generation!.Value.ToString(CultureInfo.InvariantCulture);

        var ok = await _gcloud.RunAsync("storage", "cp", WriteFile("v2.txt", "v2"u8.ToArray()), $"gs://{bucket}/cas.txt",
            $"--if-generation-match={generation}");
        var stale = await _gcloud.RunAsync("storage", "cp", WriteFile("v3.txt", "v3"u8.ToArray()), $"gs://{bucket}/cas.txt",
            $"--if-generation-match={generation}");

        Assert.True(ok.Succeeded, ok.ToString());
        Assert.False(stale.Succeeded, stale.ToString());
        Assert.Contains("412", stale.StandardError, StringComparison.Ordinal);
        Assert.Equal("v2", await DownloadTextAsync(bucket, "cas.txt"));
    }

    [Fact]
    public async Task LsAllAndRmGeneration_VersionedBucket_ListsVersionsAndRemovesOnlyTheNamedOne()
    {
        var bucket = await NewBucketAsync(versioning: true);
        var g1 = (await _client.UploadObjectAsync(bucket, "doc.txt", "text/plain", new MemoryStream("one"u8.ToArray())))
            .Generation!.Value;
        var g2 = (await _client.UploadObjectAsync(bucket, "doc.txt", "text/plain", new MemoryStream("two"u8.ToArray())))
            .Generation!.Value;

        var listed = await _gcloud.RunAsync("storage", "ls", "-a", $"gs://{bucket}/");
        var removed = await _gcloud.RunAsync("storage", "rm", $"gs://{bucket}/doc.txt#{g1}");

        Assert.True(listed.Succeeded, listed.ToString());
        var lines = listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains($"gs://{bucket}/doc.txt#{g1}", lines);
        Assert.Contains($"gs://{bucket}/doc.txt#{g2}", lines);
        Assert.True(removed.Succeeded, removed.ToString());
        var remaining = new List<long>();
        await foreach (var o in _client.ListObjectsAsync(bucket, "doc.txt", new ListObjectsOptions { Versions = true }))
        {
            remaining.Add(o.Generation!.Value);
        }

        Assert.Equal([g2], remaining);
        Assert.Equal("two", await DownloadTextAsync(bucket, "doc.txt"));
    }

    private async Task<string> NewBucketAsync(bool versioning)
    {
        var name = _emulator.NewBucketName("gc");
        await _client.CreateBucketAsync(_emulator.ProjectId, new Bucket
        {
            Name = name,
            Versioning = versioning ? new Bucket.VersioningData { Enabled = true } : null,
        });
        return name;
    }

    private string WriteFile(string name, byte[] content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private async Task<string> DownloadTextAsync(string bucket, string name)
    {
        using var stream = new MemoryStream();
        await _client.DownloadObjectAsync(bucket, name, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
