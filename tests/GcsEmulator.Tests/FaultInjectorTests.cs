using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Faults;

namespace EccoStudio.GcsEmulator.Tests;

public class FaultInjectorTests
{
    private static Uri Rel(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task TryInject_Rate503One_EveryRequestGets503WithGcsErrorBody()
    {
        await using var host = await FaultTestHost.StartAsync(new FaultSettings { Rate503 = 1 });

        for (var i = 0; i < 5; i++)
        {
            using var response = await host.Client.GetAsync(Rel($"storage/v1/b/bkt/o/obj{i}"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.Equal(503, body!["error"]!["code"]!.GetValue<int>());
            Assert.Equal("backendError", body["error"]!["errors"]![0]!["reason"]!.GetValue<string>());
        }

        Assert.Equal(5, host.Injector.Stats.Count(FaultKind.ServiceUnavailable));
    }

    [Fact]
    public async Task TryInject_Rate429One_EveryRequestGets429RateLimitExceeded()
    {
        await using var host = await FaultTestHost.StartAsync(new FaultSettings { Rate429 = 1 });

        using var response = await host.Client.PostAsync(Rel("upload/storage/v1/b/bkt/o?uploadType=media&name=x"),
            new ByteArrayContent([1, 2, 3]));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("rateLimitExceeded", body!["error"]!["errors"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task TryInject_RateDropOne_ClientSeesConnectionError()
    {
        await using var host = await FaultTestHost.StartAsync(new FaultSettings { RateDrop = 1 });

        await Assert.ThrowsAsync<HttpRequestException>(() => host.Client.GetAsync(Rel("storage/v1/b/bkt/o/x")));
        Assert.Equal(1, host.Injector.Stats.Count(FaultKind.DroppedConnection));
    }

    [Fact]
    public async Task TryInject_LatencyOnly_RequestStillSucceedsAndLatencyIsCounted()
    {
        await using var host = await FaultTestHost.StartAsync(new FaultSettings { LatencyRate = 1, LatencyMs = 50 });

        using var response = await host.Client.GetAsync(Rel("storage/v1/b/bkt/o/x"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, host.Injector.Stats.Count(FaultKind.Latency));
        Assert.Equal(0, host.Injector.Stats.Snapshot().Total);
    }

    [Fact]
    public async Task TryInject_MethodFilter_OnlyThatMethodIsFaulted()
    {
        await using var host = await FaultTestHost.StartAsync(new FaultSettings { Rate503 = 1, Method = "DELETE" });

        using var get = await host.Client.GetAsync(Rel("storage/v1/b/bkt/o/x"));
        using var delete = await host.Client.DeleteAsync(Rel("storage/v1/b/bkt/o/x"));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, delete.StatusCode);
    }

    [Fact]
    public async Task TryInject_PrefixFilter_OnlyMatchingObjectsAreFaulted()
    {
        await using var host = await FaultTestHost.StartAsync(new FaultSettings { Rate503 = 1, ObjectPrefix = "hot/" });

        using var match = await host.Client.GetAsync(Rel("storage/v1/b/bkt/o/hot%2Fa"));
        using var download = await host.Client.GetAsync(Rel("download/storage/v1/b/bkt/o/hot%2Fb?alt=media"));
        using var upload = await host.Client.PostAsync(Rel("upload/storage/v1/b/bkt/o?uploadType=media&name=hot%2Fc"),
            new ByteArrayContent([1]));
        using var other = await host.Client.GetAsync(Rel("storage/v1/b/bkt/o/cold%2Fa"));
        using var list = await host.Client.GetAsync(Rel("storage/v1/b/bkt/o?prefix=hot%2F"));
        using var bucket = await host.Client.GetAsync(Rel("storage/v1/b/bkt"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, match.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, download.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, upload.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bucket.StatusCode);
    }

    [Fact]
    public async Task TryInject_HalfRateWithSeed_SameSequenceForSameSeed()
    {
        static async Task<string> RunAsync()
        {
            await using var host = await FaultTestHost.StartAsync(new FaultSettings { Rate503 = 0.5, Seed = 42 });
            var outcome = new StringBuilder();
            for (var i = 0; i < 40; i++)
            {
                using var response = await host.Client.GetAsync(Rel($"storage/v1/b/bkt/o/o{i}"));
                outcome.Append(response.StatusCode == HttpStatusCode.OK ? '.' : 'X');
            }

            return outcome.ToString();
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.Equal(first, second);
        Assert.Contains('X', first);
        Assert.Contains('.', first);
    }

    [Fact]
    public async Task AdminEndpoint_PutGetDelete_RoundTripsAndSwitchesFaults()
    {
        await using var host = await FaultTestHost.StartAsync(new FaultSettings());

        using var put = await host.Client.PutAsJsonAsync(Rel("_emulator/faults"),
            new { rate503 = 1.0, method = "GET", objectPrefix = "p/", perObjectMutationLimit = true, seed = 7 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var got = await host.Client.GetFromJsonAsync<JsonObject>(Rel("_emulator/faults"));
        Assert.Equal(1.0, got!["rate503"]!.GetValue<double>());
        Assert.Equal("GET", got["method"]!.GetValue<string>());
        Assert.Equal("p/", got["objectPrefix"]!.GetValue<string>());
        Assert.True(got["perObjectMutationLimit"]!.GetValue<bool>());
        Assert.Equal(7, got["seed"]!.GetValue<int>());

        using var faulted = await host.Client.GetAsync(Rel("storage/v1/b/bkt/o/p%2Fx"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.StatusCode);

        using var delete = await host.Client.DeleteAsync(Rel("_emulator/faults"));
        Assert.True(delete.IsSuccessStatusCode);
        using var healthy = await host.Client.GetAsync(Rel("storage/v1/b/bkt/o/p%2Fx"));
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.False(host.Injector.Settings.PerObjectMutationLimit);
    }

    [Theory]
    [InlineData("{\"rate503\": 1.5}", "rate503")]
    [InlineData("{\"rate429\": -0.1}", "rate429")]
    [InlineData("{\"latencyMs\": -1}", "latencyMs")]
    [InlineData("{\"method\": \"FETCH\"}", "method")]
    [InlineData("{\"rate503\": ", "JSON")]
    public async Task AdminEndpoint_InvalidSettings_400WithJsonErrorAndSettingsUnchanged(string body, string mentioned)
    {
        await using var host = await FaultTestHost.StartAsync(new FaultSettings { Rate429 = 0.25 });

        using var put = await host.Client.PutAsync(Rel("_emulator/faults"),
            new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var error = await put.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(400, error!["error"]!["code"]!.GetValue<int>());
        Assert.Contains(mentioned, error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0.25, host.Injector.Settings.Rate429);
    }

    [Fact]
    public async Task AdminEndpoint_Stats_CountsByKindAndResets()
    {
        await using var host = await FaultTestHost.StartAsync(new FaultSettings { Rate503 = 1, Method = "GET" });
        for (var i = 0; i < 3; i++)
        {
            using var _ = await host.Client.GetAsync(Rel("storage/v1/b/bkt/o/x"));
        }

        host.Injector.Update(new FaultSettings { Rate429 = 1, Method = "GET" });
        using (await host.Client.GetAsync(Rel("storage/v1/b/bkt/o/x")))
        {
        }

        var stats = await host.Client.GetFromJsonAsync<JsonObject>(Rel("_emulator/faults/stats"));
        Assert.Equal(3, stats!["serviceUnavailable"]!.GetValue<long>());
        Assert.Equal(1, stats["tooManyRequests"]!.GetValue<long>());
        Assert.Equal(0, stats["droppedConnection"]!.GetValue<long>());
        Assert.Equal(4, stats["total"]!.GetValue<long>());

        using var reset = await host.Client.DeleteAsync(Rel("_emulator/faults/stats"));
        var after = await host.Client.GetFromJsonAsync<JsonObject>(Rel("_emulator/faults/stats"));
        Assert.Equal(0, after!["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task TryInject_AdminPathWhileEverythingFaults_IsNeverFaulted()
    {
        await using var host = await FaultTestHost.StartAsync(new FaultSettings { Rate503 = 1 });

        using var response = await host.Client.GetAsync(Rel("_emulator/faults"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Update_InvalidSettings_ThrowsAndKeepsOld()
    {
        var injector = new FaultInjector(new FaultSettings { Rate503 = 0.1 });

        Assert.Throws<ArgumentException>(() => injector.Update(new FaultSettings { LatencyRate = 2 }));
        Assert.Equal(0.1, injector.Settings.Rate503);
    }

    [Fact]
    public void Constructor_InvalidSettings_Throws() =>
        Assert.Throws<ArgumentException>(() => new FaultInjector(new FaultSettings { Rate503 = -1 }));
}
