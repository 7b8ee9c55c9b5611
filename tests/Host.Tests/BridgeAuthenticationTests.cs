using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Api.Bridge;
using EccoStudio.Host.Dev;
using EccoStudio.Testing.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EccoStudio.Host.Tests;

/// <summary>
/// The dev host with push verification ON (audience + service account configured; Google's key set replaced by a
/// locally generated one through <see cref="GoogleKeySource"/>): pushes without a valid token are refused with 401.
/// </summary>
public sealed class BridgeAuthenticationTests : IAsyncLifetime, IDisposable
{
    private const string Audience = "https://ecco.example/api/pubsub/gcs-events";
    private const string PushAccount = "gcs-bridge@ecco-local.iam.gserviceaccount.com";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "ecco-auth-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly TestTokenIssuer _issuer = new();
    private DevHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var keys = new GoogleKeySource(_issuer.CreateKeyServer());
        _host = await DevHost.StartAsync(new DevSettings { Port = 0, GcsPort = 0, DataDirectory = _data },
            new Dictionary<string, string?>
            {
                ["Ecco:PubSub:VerifyToken"] = "true",
                ["Ecco:PubSub:Audience"] = Audience,
                ["Ecco:PubSub:ServiceAccountEmail"] = PushAccount,
            },
            s => s.Replace(ServiceDescriptor.Singleton(keys)));
        _http = new HttpClient { BaseAddress = _host.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    public void Dispose() => _issuer.Dispose();

    private string Push(string objectName) => new JsonObject
    {
        ["message"] = new JsonObject
        {
            ["messageId"] = "auth-" + Guid.NewGuid().ToString("N")[..8],
            ["attributes"] = new JsonObject
            {
                ["eventType"] = "OBJECT_FINALIZE",
                ["bucketId"] = _host.Settings.Bucket,
                ["objectId"] = objectName,
                ["objectGeneration"] = "1",
            },
        },
        ["subscription"] = "projects/ecco-local/subscriptions/ecco-gcs-bridge",
    }.ToJsonString();

    private async Task<HttpResponseMessage> PostAsync(string? authorization, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/pubsub/gcs-events", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await _http.SendAsync(request);
    }

    [Fact]
    public void Start_VerificationConfiguredOn_IsReportedOn()
    {
        Assert.True(_host.VerifyToken);
        using var banner = new StringWriter();
        _host.PrintBanner(banner);
        Assert.DoesNotContain("verification is OFF", banner.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("forged")]
    [InlineData("wrong audience")]
    [InlineData("expired")]
    [InlineData("basic")]
    public async Task Push_WithoutAValidToken_Is401AndStartsNothing(string kind)
    {
        using var otherKey = RSA.Create(2048);
        var claims = TestTokenIssuer.PushClaims(Audience, PushAccount);
        var authorization = kind switch
        {
            "missing" => null,
            "forged" => "Bearer " + _issuer.Sign(claims, otherKey),
            "wrong audience" => "Bearer " + _issuer.Sign(TestTokenIssuer.PushClaims("https://elsewhere.example/push", PushAccount)),
            "expired" => "Bearer " + _issuer.Sign(TestTokenIssuer.PushClaims(Audience, PushAccount, DateTimeOffset.UtcNow.AddHours(-3))),
            "basic" => "Basic " + Convert.ToBase64String("a:b"u8.ToArray()),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var id = "V-AUTH-" + Guid.NewGuid().ToString("N")[..6];

        using var response = await PostAsync(authorization, Push($"env/dev/snapshots/ventures/{id}.json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("urn:ecco-studio:problem:unauthenticated-push", problem["type"]!.GetValue<string>());
        var instances = JsonNode.Parse(await _http.GetStringAsync(new Uri(
            $"runtime/webhooks/durabletask/instances?instanceIdPrefix={Uri.EscapeDataString("reconcile:dev:venture:" + id)}", UriKind.Relative)))!.AsArray();
        Assert.Empty(instances);
    }

    [Fact]
    public async Task Push_WithAValidToken_IsAccepted()
    {
        var token = _issuer.Sign(TestTokenIssuer.PushClaims(Audience, PushAccount));
        var id = "V-AUTH-OK-" + Guid.NewGuid().ToString("N")[..6];

        using var started = await PostAsync("Bearer " + token, Push($"env/dev/snapshots/ventures/{id}.json"));
        using var foreign = await PostAsync("Bearer " + token, Push("uploads/readme.txt"));

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var instanceId = JsonNode.Parse(await started.Content.ReadAsStringAsync())!["instanceId"]!.GetValue<string>();
        Assert.StartsWith("reconcile:dev:venture:" + id + ":", instanceId, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, foreign.StatusCode);
    }

    [Fact]
    public async Task Push_ValidTokenButMalformedEnvelope_Is400()
    {
        var token = _issuer.Sign(TestTokenIssuer.PushClaims(Audience, PushAccount));

        using var response = await PostAsync("Bearer " + token, """{"message":{}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
