using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EccoStudio.Api.Bridge;
using EccoStudio.Reliability.Tests.Support;
using EccoStudio.Testing;
using EccoStudio.Testing.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EccoStudio.Reliability.Tests;

/// <summary>
/// Issue 7 item 7: function keys on every Functions HTTP trigger but the two documented anonymous ones; the local
/// host's API key; the bridge refusing unauthenticated pushes when verification is on; and no secret (API key,
/// bearer token, a wrong key a caller sent) in any log line or response body.
/// </summary>
public sealed partial class SecurityTests : IDisposable
{
    private const string ApiKey = "rel-Key-7f3a9c1e5b";
    private const string Audience = "https://ecco.example/api/pubsub/gcs-events";
    private const string PushAccount = "gcs-bridge@ecco-local.iam.gserviceaccount.com";
    private readonly TestTokenIssuer _issuer = new();

    public void Dispose() => _issuer.Dispose();

    [Fact]
    public void FunctionsApp_HttpTriggers_FunctionKeyExceptHealthBridgeAndConsolePageWithReasons()
    {
        var folder = Path.Combine(AzuriteFixture.FindRepoRoot(), "src", "Triggers");
        var triggers = new List<(string File, string Level, string Preceding)>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            foreach (Match match in HttpTrigger().Matches(text))
            {
                var function = text.LastIndexOf("[Function(", match.Index, StringComparison.Ordinal);
                var commentStart = Math.Max(0, text.LastIndexOf('}', function < 0 ? match.Index : function));
                triggers.Add((Path.GetFileName(file), match.Groups[1].Value, text[commentStart..match.Index]));
            }
        }

        Assert.True(triggers.Count(t => t.Level == "Function") >= 5, $"only {triggers.Count} HTTP triggers found under {folder}");
        var anonymous = triggers.Where(t => t.Level != "Function").ToList();
        Assert.All(anonymous, t => Assert.Equal("Anonymous", t.Level));
        // Health, the Pub/Sub bridge (OIDC in code) and the ops console's static page (no data: every call it makes
        // carries the key) — nothing else.
        Assert.Equal(3, anonymous.Count);
        Assert.Contains(anonymous, t => t.Preceding.Contains("Route = \"health\"", StringComparison.Ordinal) || t.Preceding.Contains("\"Health\"", StringComparison.Ordinal));
        Assert.Contains(anonymous, t => t.Preceding.Contains("PubSubGcsEvents", StringComparison.Ordinal));
        Assert.Contains(anonymous, t => t.Preceding.Contains("\"OpsConsole\"", StringComparison.Ordinal) && t.Preceding.Contains("static files only", StringComparison.Ordinal));
        Assert.All(anonymous, t => Assert.Contains("/// <summary>", t.Preceding, StringComparison.Ordinal));
        Assert.All(anonymous, t => Assert.Contains("Anonymous", t.Preceding[..t.Preceding.IndexOf("[Function(", StringComparison.Ordinal)], StringComparison.Ordinal));
    }

    [Fact]
    public async Task LocalHost_ApiKeyAndVerifiedBridge_RefuseWithoutSecretsAndNeverEchoThem()
    {
        var keys = new GoogleKeySource(_issuer.CreateKeyServer());
        await using var host = await LocalHost.StartAsync(apiKey: ApiKey,
            configuration: new Dictionary<string, string?>
            {
                ["Ecco:PubSub:VerifyToken"] = "true", ["Ecco:PubSub:Audience"] = Audience, ["Ecco:PubSub:ServiceAccountEmail"] = PushAccount,
            },
            configureServices: s => s.Replace(ServiceDescriptor.Singleton(keys)));
        var bodies = new List<string>();
        var wrongKey = "wrong-Key-" + Guid.NewGuid().ToString("N");
        using var otherKey = RSA.Create(2048);
        var forged = _issuer.Sign(TestTokenIssuer.PushClaims(Audience, PushAccount), otherKey);
        var wrongAudience = _issuer.Sign(TestTokenIssuer.PushClaims("https://elsewhere.example/", PushAccount));
        var valid = _issuer.Sign(TestTokenIssuer.PushClaims(Audience, PushAccount));
        static StringContent Venture() => LocalHost.Json("""{"schema_version":"1.0.0","status":"Pilot","lead":"Bob"}""");

        async Task<HttpStatusCode> Send(HttpMethod method, string path, HttpContent? content = null, (string Name, string Value)? header = null)
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
            if (header is { } h)
            {
                request.Headers.TryAddWithoutValidation(h.Name, h.Value);
            }

            using var response = await host.Http.SendAsync(request);
            bodies.Add(await response.Content.ReadAsStringAsync());
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await Send(HttpMethod.Put, "api/dev/ventures/SEC1", Venture()));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(HttpMethod.Put, "api/dev/ventures/SEC1", Venture(), ("x-api-key", wrongKey)));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(HttpMethod.Get, "api/dev/ventures/SEC1?code=" + wrongKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(HttpMethod.Get, "runtime/webhooks/durabletask/instances", null, ("x-functions-key", wrongKey)));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(HttpMethod.Get, "api/dev/ventures/SEC1", null, ("x-api-key", ApiKey.ToUpperInvariant())));
        Assert.Equal(HttpStatusCode.OK, await Send(HttpMethod.Get, "api/health"));
        Assert.Equal(HttpStatusCode.Accepted, await Send(HttpMethod.Put, "api/dev/ventures/SEC1", Venture(), ("x-api-key", ApiKey)));
        Assert.Equal(HttpStatusCode.NotFound, await Send(HttpMethod.Get, "api/dev/ventures/NOPE?code=" + ApiKey));
        Assert.Equal(HttpStatusCode.OK, await Send(HttpMethod.Get, "runtime/webhooks/durabletask/instances", null, ("x-functions-key", ApiKey)));
        Assert.Equal(HttpStatusCode.BadRequest, await Send(HttpMethod.Put, "api/dev/ventures/SEC2", LocalHost.Json("{\"status\":42}"), ("x-api-key", ApiKey)));

        var push = new JsonObject
        {
            ["message"] = new JsonObject
            {
                ["messageId"] = "sec-1",
                ["attributes"] = new JsonObject
                {
                    ["eventType"] = "OBJECT_FINALIZE", ["bucketId"] = host.Bucket, ["objectId"] = "env/dev/logs/unrelated.json", ["objectGeneration"] = "1",
                },
            },
            ["subscription"] = "projects/p/subscriptions/s",
        }.ToJsonString();
        foreach (var header in new[] { "", "Bearer", "Bearer not.a.jwt", "Bearer " + forged, "Bearer " + wrongAudience, "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("u:" + ApiKey)) })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await Send(HttpMethod.Post, "api/pubsub/gcs-events", LocalHost.Json(push),
                header.Length == 0 ? null : ("Authorization", header)));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await Send(HttpMethod.Post, "api/pubsub/gcs-events", LocalHost.Json(push), ("x-api-key", ApiKey)));
        Assert.Equal(HttpStatusCode.NoContent, await Send(HttpMethod.Post, "api/pubsub/gcs-events", LocalHost.Json(push), ("Authorization", "Bearer " + valid)));

        var secrets = new[] { ApiKey, wrongKey, forged, wrongAudience, valid, Signature(forged), Signature(valid) };
        var logs = host.Logs.Lines;
        Assert.NotEmpty(logs);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(logs, l => l.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(bodies, b => b.Contains(secret, StringComparison.Ordinal));
        }

        Assert.All(bodies.Where(b => b.Contains("\"status\":401", StringComparison.Ordinal)), b => Assert.Contains("\"detail\"", b, StringComparison.Ordinal));
    }

    private static string Signature(string jwt) => jwt[(jwt.LastIndexOf('.') + 1)..];

    [GeneratedRegex(@"\[HttpTrigger\(AuthorizationLevel\.(\w+)")]
    private static partial Regex HttpTrigger();
}
