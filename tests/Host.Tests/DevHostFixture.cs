using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Host.Dev;
using Google.Cloud.Storage.V1;

namespace EccoStudio.Host.Tests;

/// <summary>One in-process dev host (free ports, temp data dir, in-memory engine, envs dev + prod) per test class.</summary>
public sealed class DevHostFixture : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "ecco-host-" + Guid.NewGuid().ToString("N")[..8]);

    public DevHost Host { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public StorageClient Storage { get; private set; } = null!;

    public string Bucket => Host.Settings.Bucket;

    public async Task InitializeAsync()
    {
        Host = await DevHost.StartAsync(new DevSettings { Port = 0, GcsPort = 0, DataDirectory = _data, Environments = ["dev", "prod"] });
        Http = new HttpClient { BaseAddress = Host.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        Storage = new StorageClientBuilder { BaseUri = new Uri(Host.GcsBaseUri, "storage/v1/").ToString(), UnauthenticatedAccess = true }.Build();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    /// <summary>Every object (all versions) as name#generation, sorted: a fingerprint of the bucket.</summary>
    public async Task<IReadOnlyList<string>> BucketFingerprintAsync()
    {
        var names = new List<string>();
        await foreach (var o in Storage.ListObjectsAsync(Bucket, null, new ListObjectsOptions { Versions = true }))
        {
            names.Add($"{o.Name}#{o.Generation}");
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public static StringContent Json(string text, string mediaType = "application/json") =>
        new(text, Encoding.UTF8, new MediaTypeHeaderValue(mediaType));

    /// <summary>Follows a status URL until the instance is no longer running; returns the final status document.</summary>
    public async Task<JsonObject> WaitForCompletionAsync(Uri statusUri, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            using var response = await Http.GetAsync(statusUri);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            if ((int)response.StatusCode == 200 || DateTime.UtcNow > deadline)
            {
                return body;
            }

            Assert.Equal(202, (int)response.StatusCode);
            Assert.NotNull(response.Headers.Location);
            await Task.Delay(100);
        }
    }
}
