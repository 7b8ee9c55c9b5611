using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace EccoStudio.Engine.Hosting;

/// <summary>
/// The per-process secret every call to the local gRPC sidecar must carry (<c>authorization: Bearer …</c>). The
/// sidecar listens on loopback, where any local process could otherwise read instance inputs or terminate and purge
/// instances; the token exists only in this process's memory (never configured, logged or written anywhere) and only
/// the worker's and client's shared channel (<see cref="EngineEndpoint"/>) sends it.
/// </summary>
public sealed class SidecarToken
{
    private readonly byte[] _expected;

    public SidecarToken()
    {
        Value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _expected = Encoding.ASCII.GetBytes("Bearer " + Value);
    }

    /// <summary>The token (64 hex characters).</summary>
    public string Value { get; }

    /// <summary>True when the request's authorization header is exactly this token (constant-time comparison).</summary>
    public bool Matches(HttpRequest request)
    {
        var given = request.Headers.Authorization;
        return given.Count == 1 && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(given[0] ?? string.Empty), _expected);
    }

    /// <summary>Adds the token to every request of the channel.</summary>
    public sealed class Handler(SidecarToken token) : DelegatingHandler(new SocketsHttpHandler { EnableMultipleHttp2Connections = true })
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("authorization", "Bearer " + token.Value);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
