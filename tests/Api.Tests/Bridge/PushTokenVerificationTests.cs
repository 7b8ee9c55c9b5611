using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EccoStudio.Api.Bridge;
using EccoStudio.Api.Tests.Fakes;
using EccoStudio.Testing;
using EccoStudio.Testing.Auth;
using EccoStudio.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Api.Tests.Bridge;

/// <summary>
/// The bridge's OIDC check end to end through the real Google.Apis.Auth verification: tokens are RS256 JWTs signed
/// here with a generated key, whose JWKS reaches the verifier through the injectable <see cref="GoogleKeySource"/>.
/// </summary>
public sealed class PushTokenVerificationTests(GcsEmulatorFixture gcs) : IClassFixture<GcsEmulatorFixture>, IAsyncLifetime, IDisposable
{
    private const string Audience = "https://ecco.example/api/pubsub/gcs-events";
    private const string PushAccount = "pubsub-push@ecco-prod.iam.gserviceaccount.com";

    private readonly TestTokenIssuer _issuer = new();
    private readonly RecordingScheduler _scheduler = new();
    private JwksHttpClientFactory _keyServer = null!;
    private ServiceProvider _services = null!;
    private string _bucket = "";

    public async Task InitializeAsync()
    {
        _bucket = await gcs.CreateBucketAsync();
        _keyServer = _issuer.CreateKeyServer();
        _services = Build(verify: true);
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    public void Dispose() => _issuer.Dispose();

    [Fact]
    public async Task Push_ValidToken_IsAcceptedAndKeysComeFromTheKeySource()
    {
        var token = _issuer.Sign(TestTokenIssuer.PushClaims(Audience, PushAccount));

        var response = await PushAsync(_services, "Bearer " + token);

        Assert.Equal(202, response.Status);
        Assert.Single(_scheduler.Calls);
        Assert.Contains(_keyServer.Requests, u => u.Host == "www.googleapis.com");
    }

    [Fact]
    public async Task VerifyAsync_ValidToken_ReturnsTheServiceAccount()
    {
        var verifier = _services.GetRequiredService<IPushTokenVerifier>();

        var identity = await verifier.VerifyAsync("Bearer " + _issuer.Sign(TestTokenIssuer.PushClaims(Audience, PushAccount)), CancellationToken.None);

        Assert.Equal(PushAccount, identity);
    }

    public static TheoryData<string> BadTokens() =>
    [
        "wrong audience", "wrong issuer", "expired", "not yet issued", "wrong service account", "email not verified",
        "bad signature", "tampered payload", "algorithm HS256", "missing header", "not bearer", "bearer without token", "garbage token",
        "two parts",
    ];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Push_BadToken_Gets401ProblemAndStartsNothing(string name)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = TestTokenIssuer.PushClaims(Audience, PushAccount, now);
        using var otherKey = RSA.Create(2048);
        var header = name switch
        {
            "wrong audience" => Bearer(With(claims, "aud", "https://attacker.example/push")),
            "wrong issuer" => Bearer(With(claims, "iss", "https://issuer.example")),
            "expired" => Bearer(With(With(claims, "iat", now.AddHours(-3).ToUnixTimeSeconds()), "exp", now.AddHours(-2).ToUnixTimeSeconds())),
            "not yet issued" => Bearer(With(With(claims, "iat", now.AddHours(1).ToUnixTimeSeconds()), "exp", now.AddHours(2).ToUnixTimeSeconds())),
            "wrong service account" => Bearer(With(claims, "email", "someone-else@ecco-prod.iam.gserviceaccount.com")),
            "email not verified" => Bearer(With(claims, "email_verified", false)),
            "bad signature" => "Bearer " + _issuer.Sign(claims, otherKey),
            "tampered payload" => "Bearer " + Tamper(_issuer.Sign(claims)),
            "algorithm HS256" => "Bearer " + _issuer.Sign(claims, algorithm: "HS256"),
            "missing header" => null,
            "not bearer" => "Basic " + Convert.ToBase64String("user:pass"u8.ToArray()),
            "bearer without token" => "Bearer ",
            "garbage token" => "Bearer not.a.jwt",
            "two parts" => "Bearer abc.def",
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        var response = await PushAsync(_services, header);

        var problem = response.AssertProblem(401, "unauthenticated-push");
        Assert.Equal("Bearer", response.Headers.WWWAuthenticate.ToString());
        Assert.DoesNotContain("eyJ", problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(_scheduler.Calls);
    }

    [Fact]
    public async Task Push_VerificationOff_IsAcceptedWithoutToken()
    {
        var scheduler = new RecordingScheduler();
        await using var services = Build(verify: false, scheduler);

        var response = await PushAsync(services, authorization: null);

        Assert.Equal(202, response.Status);
        Assert.Single(scheduler.Calls);
    }

    [Fact]
    public async Task Options_VerificationOnWithoutAudience_AreRefused()
    {
        await using var services = ApiServices.Build(gcs, _bucket, new RecordingScheduler(),
            new Dictionary<string, string?> { ["Ecco:PubSub:VerifyToken"] = "true" });

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Configuration.PubSubBridgeOptions>>().Value);
        Assert.Contains("Audience", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_VerificationOnWithoutServiceAccountEmail_AreRefused()
    {
        await using var services = ApiServices.Build(gcs, _bucket, new RecordingScheduler(),
            new Dictionary<string, string?> { ["Ecco:PubSub:VerifyToken"] = "true", ["Ecco:PubSub:Audience"] = Audience });

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Configuration.PubSubBridgeOptions>>().Value);
        Assert.Contains("ServiceAccountEmail", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_TextPlainBody_Is415AndStartsNothing()
    {
        await using var services = Build(verify: false);
        var body = PushBodies.Finalize("m-tp", _bucket, "env/dev/ventures/V1/history/2025/11/06/2025-11-06T10:18:22Z_" + Ulid.NewUlid() + ".json", 7);
        var context = HttpExchange.Request("POST", "/api/pubsub/gcs-events", body, "text/plain", []);
        var handler = services.GetRequiredService<PubSubBridgeHandler>();

        var response = await HttpExchange.RunAsync(context, () => handler.HandleAsync(context.Request, new NoEngineDurableTaskClient(), CancellationToken.None));

        Assert.Equal(415, response.Status);
        Assert.Empty(_scheduler.Calls);
    }

    private string Bearer(JsonObject claims) => "Bearer " + _issuer.Sign(claims);

    private static JsonObject With(JsonObject claims, string name, JsonNode? value)
    {
        var copy = claims.DeepClone().AsObject();
        copy[name] = value;
        return copy;
    }

    private static string Tamper(string jwt)
    {
        var parts = jwt.Split('.');
        var payload = JsonNode.Parse(Convert.FromBase64String(Pad(parts[1].Replace('-', '+').Replace('_', '/'))))!.AsObject();
        payload["email"] = "attacker@example.com";
        parts[1] = TestTokenIssuer.Base64Url(System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return string.Join('.', parts);
    }

    private static string Pad(string base64) => base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');

    private ServiceProvider Build(bool verify, RecordingScheduler? scheduler = null) =>
        ApiServices.Build(gcs, _bucket, scheduler ?? _scheduler, new Dictionary<string, string?>
        {
            ["Ecco:PubSub:VerifyToken"] = verify ? "true" : "false",
            ["Ecco:PubSub:Audience"] = Audience,
            ["Ecco:PubSub:ServiceAccountEmail"] = PushAccount,
        }, new GoogleKeySource(_keyServer));

    private async Task<HttpExchange.Response> PushAsync(ServiceProvider services, string? authorization)
    {
        var body = PushBodies.Finalize("m-1", _bucket, "env/dev/ventures/V1/history/2025/11/06/2025-11-06T10:18:22Z_" + Ulid.NewUlid() + ".json", 7);
        var headers = authorization is null ? Array.Empty<(string, string)>() : [("Authorization", authorization)];
        var context = HttpExchange.Request("POST", "/api/pubsub/gcs-events", body, "application/json", headers);
        var handler = services.GetRequiredService<PubSubBridgeHandler>();
        return await HttpExchange.RunAsync(context, () => handler.HandleAsync(context.Request, new NoEngineDurableTaskClient(), CancellationToken.None));
    }
}
