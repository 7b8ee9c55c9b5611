using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace EccoStudio.Testing.Auth;

/// <summary>
/// Stands in for Google's token signer in tests: an RSA key generated per instance, its public half as a JWKS
/// (the shape of https://www.googleapis.com/oauth2/v3/certs), and RS256 JWTs built by hand
/// (<c>base64url(header).base64url(payload).base64url(RSA-SHA256 signature)</c>).
/// </summary>
public sealed class TestTokenIssuer : IDisposable
{
    public const string GoogleIssuer = "https://accounts.google.com";

    private readonly RSA _key = RSA.Create(2048);

    /// <summary>The key id (<c>kid</c>) in the header and the key set.</summary>
    public string KeyId { get; } = "test-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The public key set: <c>{"keys":[{"kty":"RSA","alg":"RS256","use":"sig","kid","n","e"}]}</c>.</summary>
    public string Jwks
    {
        get
        {
            var parameters = _key.ExportParameters(includePrivateParameters: false);
            return new JsonObject
            {
                ["keys"] = new JsonArray(new JsonObject
                {
                    ["kty"] = "RSA",
                    ["alg"] = "RS256",
                    ["use"] = "sig",
                    ["kid"] = KeyId,
                    ["n"] = Base64Url(parameters.Modulus!),
                    ["e"] = Base64Url(parameters.Exponent!),
                }),
            }.ToJsonString();
        }
    }

    /// <summary>The claims a Pub/Sub push token carries (issuer Google, verified email, issued now, valid one hour).</summary>
    public static JsonObject PushClaims(string audience, string email, DateTimeOffset? now = null)
    {
        var issued = now ?? DateTimeOffset.UtcNow;
        return new JsonObject
        {
            ["iss"] = GoogleIssuer,
            ["aud"] = audience,
            ["sub"] = "1234567890",
            ["azp"] = "1234567890",
            ["email"] = email,
            ["email_verified"] = true,
            ["iat"] = issued.ToUnixTimeSeconds(),
            ["exp"] = issued.AddHours(1).ToUnixTimeSeconds(),
        };
    }

    /// <summary>An RS256 JWT over <paramref name="claims"/>, signed with this issuer's key or <paramref name="otherKey"/>.</summary>
    public string Sign(JsonObject claims, RSA? otherKey = null, string algorithm = "RS256")
    {
        var header = new JsonObject { ["alg"] = algorithm, ["kid"] = KeyId, ["typ"] = "JWT" };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = (otherKey ?? _key).SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>A Google.Apis HTTP client factory whose every GET answers with <see cref="Jwks"/> (counts fetches).</summary>
    public JwksHttpClientFactory CreateKeyServer() => new(Jwks);

    public static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose() => _key.Dispose();
}
