using System.Net;
using System.Text;
using EccoStudio.Testing;

namespace EccoStudio.GcsEmulator.Tests;

/// <summary>
/// Issue 16: a web page must not drive the local emulator (upload a fake history object, wipe every bucket), and a
/// stray upload must not fill the disk; data files are the owner's only.
/// </summary>
public sealed class LocalRequestGuardTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gcs-guard-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private Task<GcsEmulatorServer> StartAsync(long maxBody = 256L * 1024 * 1024) =>
        GcsEmulatorServer.StartAsync(new GcsEmulatorOptions { Port = 0, DataDirectory = _dir, PubSubEmulatorHost = string.Empty, MaxRequestBodyBytes = maxBody });

    private static async Task<HttpStatusCode> SendAsync(GcsEmulatorServer server, HttpMethod method, string path, string? origin = null, string? host = null,
        HttpContent? content = null)
    {
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Requests_ForeignOriginOrHost_Refused403_SameOriginAndClientsWithoutOriginServed()
    {
        await using var server = await StartAsync();
        using var client = GcsEmulatorFixture.CreateClient(server);
        await client.CreateBucketAsync("ecco-local", "guarded");
        await client.UploadObjectAsync("guarded", "env/dev/snapshots/ventures/V1.json", "application/json", new MemoryStream("{}"u8.ToArray()));
        var fakeHistory = new StringContent("{\"id\":\"V1\"}", Encoding.UTF8, "text/plain");

        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(server, HttpMethod.Post, "_emulator/reset", origin: "https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(server, HttpMethod.Post, "_emulator/reset", origin: "null"));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(server, HttpMethod.Post, "_emulator/reset", origin: "http://localhost:3000"));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(server, HttpMethod.Post,
            "upload/storage/v1/b/guarded/o?uploadType=media&name=env/dev/ventures/V1/history/x.json", origin: "https://evil.example", content: fakeHistory));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(server, HttpMethod.Get, "storage/v1/b/guarded/o", host: $"evil.example:{server.BaseUri.Port}"));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(server, HttpMethod.Post, "_emulator/reset", host: "rebound.example"));

        // Nothing was wiped or uploaded by the refused requests.
        var names = new List<string>();
        await foreach (var o in client.ListObjectsAsync("guarded"))
        {
            names.Add(o.Name);
        }

        Assert.Equal(["env/dev/snapshots/ventures/V1.json"], names);

        Assert.Equal(HttpStatusCode.OK, await SendAsync(server, HttpMethod.Get, "storage/v1/b/guarded/o", origin: server.BaseUri.ToString().TrimEnd('/')));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(server, HttpMethod.Get, "storage/v1/b/guarded/o", host: $"localhost:{server.BaseUri.Port}"));
    }

    [Fact]
    public async Task Upload_BodyAboveLimit_Is413AndNothingStored()
    {
        await using var server = await StartAsync(maxBody: 1024 * 1024);
        using var client = GcsEmulatorFixture.CreateClient(server);
        await client.CreateBucketAsync("ecco-local", "limited");

        var status = await SendAsync(server, HttpMethod.Post, "upload/storage/v1/b/limited/o?uploadType=media&name=big.bin",
            content: new ByteArrayContent(new byte[2 * 1024 * 1024]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Empty(await client.ListObjectsAsync("limited").ToListAsync());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Unix permissions; CI runs on Linux
    public async Task DataFiles_AreOwnerOnly()
    {
        await using (var server = await StartAsync())
        {
            using var client = GcsEmulatorFixture.CreateClient(server);
            await client.CreateBucketAsync("ecco-local", "private");
            await client.UploadObjectAsync("private", "talent/T1.json", "application/json", new MemoryStream("{\"email\":\"a@b.example\"}"u8.ToArray()));
        }

        var files = Directory.EnumerateFiles(Path.Combine(_dir, "buckets"), "*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_dir));
    }
}
