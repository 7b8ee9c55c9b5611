using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Faults;
using EccoStudio.Testing;
using Google;
using Google.Cloud.Storage.V1;

namespace EccoStudio.GcsEmulator.Tests;

/// <summary>Faults and the per-object mutation limit through the whole emulator (store, API, real client).</summary>
public sealed class FaultEndToEndTests : IAsyncLifetime, IDisposable
{
    private GcsEmulatorServer? _server;
    private HttpClient? _http;
    private StorageClient? _client;

    private GcsEmulatorServer Server => _server!;
    private HttpClient Http => _http!;
    private StorageClient Client => _client!;

    public async Task InitializeAsync()
    {
        _server = await GcsEmulatorServer.StartAsync(new GcsEmulatorOptions { Port = 0, PubSubEmulatorHost = "" });
        _http = new HttpClient { BaseAddress = _server.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        _client = GcsEmulatorFixture.CreateClient(_server);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public void Dispose() => _http?.Dispose();

    [Fact]
    public async Task RealClient_Rate503ForGets_GetsGcs503ErrorAndOtherCallsWork()
    {
        var bucket = await NewBucketAsync();
        await Client.UploadObjectAsync(bucket, "x", "text/plain", new MemoryStream("x"u8.ToArray()));
        Server.Faults.Update(new FaultSettings { Rate503 = 1, Method = "GET" });

        var error = await Assert.ThrowsAsync<GoogleApiException>(() => Client.GetObjectAsync(bucket, "x",
            new GetObjectOptions { RetryOptions = RetryOptions.Never }));
        await Client.UploadObjectAsync(bucket, "y", "text/plain", new MemoryStream("y"u8.ToArray()));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.HttpStatusCode);
        Assert.Equal("backendError", error.Error.Errors[0].Reason);
        Assert.True(Server.Faults.Stats.Count(FaultKind.ServiceUnavailable) >= 1);
    }

    [Fact]
    public async Task AdminEndpoint_OnServer_SwitchesFaultsAtRuntime()
    {
        var bucket = await NewBucketAsync();

        using var put = await Http.PutAsJsonAsync(new Uri("_emulator/faults", UriKind.Relative),
            new { rate429 = 1.0, objectPrefix = "limited/" });
        using var limited = await Http.GetAsync(new Uri($"storage/v1/b/{bucket}/o/limited%2Fa", UriKind.Relative));
        using var free = await Http.GetAsync(new Uri($"storage/v1/b/{bucket}/o/free%2Fa", UriKind.Relative));
        using var off = await Http.DeleteAsync(new Uri("_emulator/faults", UriKind.Relative));
        using var after = await Http.GetAsync(new Uri($"storage/v1/b/{bucket}/o/limited%2Fa", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, free.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        var stats = await Http.GetFromJsonAsync<JsonObject>(new Uri("_emulator/faults/stats", UriKind.Relative));
        Assert.Equal(1, stats!["tooManyRequests"]!.GetValue<long>());
    }

    [Fact]
    public async Task MutationLimit_BurstOnOneName_ExtraMutationsGet429RateLimitExceeded()
    {
        var bucket = await NewBucketAsync();
        Server.Faults.Update(new FaultSettings { PerObjectMutationLimit = true });

        var statuses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => UploadAsync(bucket, "hot", $"v{i}")));

        Assert.InRange(statuses.Count(s => s.Status == HttpStatusCode.OK), 1, 5);
        var refused = statuses.Where(s => s.Status != HttpStatusCode.OK).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, s =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, s.Status);
            Assert.Equal("rateLimitExceeded", s.Body!["error"]!["errors"]![0]!["reason"]!.GetValue<string>());
        });
        Assert.True(Server.Faults.Stats.Count(FaultKind.MutationLimit) >= refused.Count);
    }

    [Fact]
    public async Task MutationLimit_DistinctNames_NotLimited()
    {
        var bucket = await NewBucketAsync();
        Server.Faults.Update(new FaultSettings { PerObjectMutationLimit = true });

        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => UploadAsync(bucket, $"cold-{i}", "v")));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s.Status));
    }

    [Fact]
    public async Task MutationLimit_Off_RapidRewritesOfOneNameAllSucceed()
    {
        var bucket = await NewBucketAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await UploadAsync(bucket, "same", $"v{i}")).Status);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    private async Task<string> NewBucketAsync()
    {
        var name = $"ft-{Guid.NewGuid():N}"[..20];
        await Client.CreateBucketAsync("ecco-local", name);
        return name;
    }

    private async Task<(HttpStatusCode Status, JsonObject? Body)> UploadAsync(string bucket, string name, string text)
    {
        using var content = new StringContent(text);
        using var response = await Http.PostAsync(
            new Uri($"upload/storage/v1/b/{bucket}/o?uploadType=media&name={Uri.EscapeDataString(name)}", UriKind.Relative),
            content);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body.Length > 0 ? JsonNode.Parse(body) as JsonObject : null);
    }
}
