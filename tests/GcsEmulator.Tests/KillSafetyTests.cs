using System.Diagnostics;
using System.Net;
using EccoStudio.Testing;
using Google;
using Google.Cloud.Storage.V1;

namespace EccoStudio.GcsEmulator.Tests;

/// <summary>--data mode: kill -9 the program in the middle of writes; a restart reads back only whole objects.</summary>
public sealed class KillSafetyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gcs-emu-kill-" + Guid.NewGuid().ToString("N"));

    private Process StartProgram()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EccoStudio.GcsEmulator.dll"));
        foreach (var a in new[] { "--port", "0", "--data", _dir })
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info)!;
    }

    [Fact]
    public async Task KillDuringWrites_RestartOnSameDirectory_EveryObjectWholeAndDirectoryReusable()
    {
        using var process = StartProgram();
        long acknowledged = 0;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            var baseUri = new Uri(line!["GCS emulator listening on ".Length..]);
            using var client = new StorageClientBuilder { BaseUri = new Uri(baseUri, "storage/v1/").ToString(), UnauthenticatedAccess = true }.Build();
            await client.CreateBucketAsync("ecco-local", new Google.Apis.Storage.v1.Data.Bucket
            {
                Name = "killed",
                Versioning = new Google.Apis.Storage.v1.Data.Bucket.VersioningData { Enabled = true },
            });

            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                var random = new Random(w);
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var data = new byte[random.Next(1, 300_000)];
                    random.NextBytes(data);
                    try
                    {
                        await client.UploadObjectAsync("killed", $"w{w}/{i % 5}", "application/octet-stream", new MemoryStream(data), cancellationToken: stop.Token);
                        Interlocked.Increment(ref acknowledged);
                    }
                    catch (Exception e) when (e is HttpRequestException or GoogleApiException or OperationCanceledException or IOException)
                    {
                        return;
                    }
                }
            })).ToList();

            while (Interlocked.Read(ref acknowledged) < 40)
            {
                await Task.Delay(20);
            }

            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        await using var server = await GcsEmulatorServer.StartAsync(new GcsEmulatorOptions { Port = 0, DataDirectory = _dir, PubSubEmulatorHost = string.Empty });
        using var restarted = GcsEmulatorFixture.CreateClient(server);
        var versions = await restarted.ListObjectsAsync("killed", null, new ListObjectsOptions { Versions = true }).ToListAsync();
        Assert.True(versions.Count >= 40, $"only {versions.Count} generations survived");
        foreach (var version in versions)
        {
            using var buffer = new MemoryStream();
            // The client checks the bytes against crc32c/md5 of the stored metadata.
            await restarted.DownloadObjectAsync(version, buffer, new DownloadObjectOptions { Generation = version.Generation });
            Assert.Equal((long)version.Size!.Value, buffer.Length);
        }

        Assert.Equal(versions.Count, versions.Select(v => v.Generation).Distinct().Count());
        var fresh = await restarted.UploadObjectAsync("killed", "after-restart", null, new MemoryStream([1]));
        Assert.True(fresh.Generation > versions.Max(v => v.Generation));
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        using var bucket = await http.GetAsync(new Uri("storage/v1/b/killed", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, bucket.StatusCode);
    }

    [Fact]
    public async Task SecondEmulatorOnSameDirectory_RefusedWithReadableError()
    {
        await using var first = await GcsEmulatorServer.StartAsync(new GcsEmulatorOptions { Port = 0, DataDirectory = _dir, PubSubEmulatorHost = string.Empty });
        var e = await Assert.ThrowsAsync<IOException>(
            () => GcsEmulatorServer.StartAsync(new GcsEmulatorOptions { Port = 0, DataDirectory = _dir, PubSubEmulatorHost = string.Empty }));
        Assert.Contains("in use", e.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
