using System.Net;
using System.Text.Json.Nodes;
using EccoStudio.Api.Configuration;
using EccoStudio.Api.Security;
using EccoStudio.Reliability.Tests.Support;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Store;
using EccoStudio.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EccoStudio.Reliability.Tests;

/// <summary>
/// Issue 16, every entry point authenticated: the bridge (JSON only; with a local key and no token check, the key or
/// the bridge secret), the key and the token switch taken from the environment or a file by <c>dev</c>, the writer
/// taken from the authenticated caller, <c>?code=</c> accepted with a warning and never logged.
/// </summary>
public sealed class EntryPointTests
{
    private const string Key = "entry-Key-5c1d7e9a3b";

    private static StringContent Push(string bucket) => LocalHost.Json(new JsonObject
    {
        ["message"] = new JsonObject
        {
            ["messageId"] = "ep-1",
            ["attributes"] = new JsonObject
            {
                ["eventType"] = "OBJECT_FINALIZE", ["bucketId"] = bucket, ["objectId"] = "env/dev/logs/unrelated.json", ["objectGeneration"] = "1",
            },
        },
        ["subscription"] = "projects/p/subscriptions/s",
    });

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, string path, HttpContent content, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Bridge_LocalKeyWithoutTokenCheck_NeedsKeyOrBridgeSecretAndJson()
    {
        await using var host = await LocalHost.StartAsync(apiKey: Key);
        var secret = host.Host.Services.GetRequiredService<IOptions<PubSubBridgeOptions>>().Value.BridgeSecret;
        Assert.False(string.IsNullOrEmpty(secret));
        var plain = new StringContent(await Push(host.Bucket).ReadAsStringAsync(), System.Text.Encoding.UTF8, "text/plain");

        // What a cross-site page can send (no custom header, text/plain, no key): refused.
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(host.Http, "api/pubsub/gcs-events", plain));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(host.Http, "api/pubsub/gcs-events", Push(host.Bucket)));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(host.Http, "api/pubsub/gcs-events?secret=wrong", Push(host.Bucket)));
        // Authenticated but not JSON: refused too.
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, await PostAsync(host.Http, "api/pubsub/gcs-events",
            new StringContent(await Push(host.Bucket).ReadAsStringAsync(), System.Text.Encoding.UTF8, "text/plain"), ("x-api-key", Key)));

        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(host.Http, "api/pubsub/gcs-events", Push(host.Bucket), ("x-api-key", Key)));
        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(host.Http, "api/pubsub/gcs-events?secret=" + secret, Push(host.Bucket)));
        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(host.Http, "api/pubsub/gcs-events", Push(host.Bucket), (ApiKeyMiddleware.BridgeSecretHeader, secret!)));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains(secret!, StringComparison.Ordinal) || l.Contains(Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Write_WithKeyAndClaimedAuthor_RecordsTheAuthenticatedCaller_CodeInUrlWarnsAndIsNotLogged()
    {
        await using var host = await LocalHost.StartAsync(apiKey: Key);
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri("api/dev/ventures/EP1?code=" + Key, UriKind.Relative))
        {
            Content = LocalHost.Json("""{"schema_version":"1.0.0","status":"Pilot","lead":"Bob"}"""),
        };
        request.Headers.Add("x-ecco-author", "mallory");
        using var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("?code=", response.Headers.GetValues("Warning").Single(), StringComparison.Ordinal);
        var id = Uri.UnescapeDataString(response.Headers.Location!.Segments[^1]);
        var done = (await Instances.WaitAllAsync(host.Client, [id], TimeSpan.FromMinutes(1)))[id];
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done?.RuntimeStatus);
        var history = Assert.Single(await host.Storage.Store.ListAllAsync(host.Bucket, "env/dev/ventures/EP1/history/"));
        var info = await host.Storage.Store.GetInfoAsync(host.Bucket, history.Name);
        Assert.Equal(ApiKeyMiddleware.ApiKeyIdentity, info!.Metadata[HistoryWriter.WrittenByMetadataKey]);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains(Key, StringComparison.Ordinal));
        Assert.Contains(host.Logs.Lines, l => l.Contains("the API key was sent in the URL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dev_KeyAndTokenSwitchFromEnvironment_Enforced_KeyFileToo_VerifyWithoutAccountRefused()
    {
        var data = Path.Combine(Path.GetTempPath(), "ecco-ep-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using (var child = await ChildHost.StartAsync(FreePorts.Next(), FreePorts.Next(), data, azurite: null, TimeSpan.FromMinutes(2),
                new Dictionary<string, string>
                {
                    ["Ecco__Api__ApiKey"] = Key,
                    ["Ecco__PubSub__VerifyToken"] = "true",
                    ["Ecco__PubSub__Audience"] = "https://ecco.example/api/pubsub/gcs-events",
                    ["Ecco__PubSub__ServiceAccountEmail"] = "push@ecco.iam.gserviceaccount.com",
                }))
            {
                using var http = new HttpClient { BaseAddress = child.BaseUri };
                Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("api/dev/ventures", UriKind.Relative))).StatusCode);
                using var keyed = new HttpRequestMessage(HttpMethod.Get, new Uri("api/dev/ventures", UriKind.Relative));
                keyed.Headers.Add("x-api-key", Key);
                Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(keyed)).StatusCode);
                // Token verification on (from the environment): the bridge refuses an unsigned push even with the key.
                Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(http, "api/pubsub/gcs-events", Push("ecco-studio-platform-data"), ("x-api-key", Key)));
                Assert.DoesNotContain(Key, child.Output, StringComparison.Ordinal);
                Assert.DoesNotContain("verification is OFF", child.Output, StringComparison.Ordinal);
            }

            var keyFile = Path.Combine(Path.GetTempPath(), "ecco-key-" + Guid.NewGuid().ToString("N"));
            await File.WriteAllTextAsync(keyFile, Key + "\n");
            try
            {
                using var child = await ChildHost.StartAsync(FreePorts.Next(), FreePorts.Next(), data, azurite: null, TimeSpan.FromMinutes(2),
                    arguments: ["--api-key-file", keyFile]);
                using var http = new HttpClient { BaseAddress = child.BaseUri };
                Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("api/dev/ventures", UriKind.Relative))).StatusCode);
                using var keyed = new HttpRequestMessage(HttpMethod.Get, new Uri("api/dev/ventures", UriKind.Relative));
                keyed.Headers.Add("x-functions-key", Key);
                Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(keyed)).StatusCode);
            }
            finally
            {
                File.Delete(keyFile);
            }

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ChildHost.StartAsync(FreePorts.Next(), FreePorts.Next(), data,
                azurite: null, TimeSpan.FromMinutes(2), new Dictionary<string, string>
                {
                    ["Ecco__PubSub__VerifyToken"] = "true", ["Ecco__PubSub__Audience"] = "https://ecco.example/api/pubsub/gcs-events",
                }));
            Assert.Contains("ServiceAccountEmail is required", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }
}
