using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using EccoStudio.Api.Configuration;
using EccoStudio.Api.Problems;
using EccoStudio.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EccoStudio.Api.Security;

/// <summary>
/// Local host: when <see cref="EccoApiOptions.ApiKey"/> is set, every request except <c>/api/health</c> (probes) must
/// carry the key in <c>x-api-key</c> or <c>x-functions-key</c>, or in <c>?code=</c> (the Functions key conventions, so
/// scripts work against both hosts). <c>?code=</c> is accepted, as the Functions host does, but answered with a
/// <c>Warning</c> header and logged (without the key): a key in a URL ends up in shell history and proxy logs.
/// The Pub/Sub bridge is authenticated by its OIDC token when verification is on; with verification off (the local
/// Pub/Sub emulator sends no token) it needs the key or the bridge secret (<see cref="PubSubBridgeOptions.BridgeSecret"/>,
/// header <c>x-ecco-bridge-secret</c> or <c>?secret=</c>, the only place a push subscription can carry it).
/// Compared in constant time; keys never appear in a response or log line. An accepted key makes the caller
/// <see cref="ApiKeyIdentity"/> (the writer recorded for its writes).
/// </summary>
public sealed partial class ApiKeyMiddleware(RequestDelegate next, IOptions<EccoApiOptions> options, IOptions<PubSubBridgeOptions> bridge,
    ILogger<ApiKeyMiddleware> logger)
{
    /// <summary>The authenticated name of a caller holding the local API key.</summary>
    public const string ApiKeyIdentity = "api-key";

    public const string BridgeSecretHeader = "x-ecco-bridge-secret";

    public const string CodeWarning = "299 - \"API key sent in the URL (?code=): send it in the x-functions-key or x-api-key header\"";

    public Task InvokeAsync(HttpContext context)
    {
        var key = options.Value.ApiKey;
        var path = context.Request.Path;
        if (string.IsNullOrEmpty(key) || path.Equals("/" + EntityRoutes.Health, StringComparison.OrdinalIgnoreCase))
        {
            return next(context);
        }

        var isBridge = path.Equals("/" + EntityRoutes.PubSubPush, StringComparison.OrdinalIgnoreCase);
        if (isBridge && bridge.Value.VerifyToken)
        {
            return next(context);
        }

        if (isBridge && bridge.Value.BridgeSecret is { Length: > 0 } secret
            && (Equal(context.Request.Headers[BridgeSecretHeader].ToString(), secret) || Equal(context.Request.Query["secret"].ToString(), secret)))
        {
            return next(context);
        }

        var given = context.Request.Headers["x-api-key"].ToString();
        if (given.Length == 0)
        {
            given = context.Request.Headers["x-functions-key"].ToString();
        }

        var inUrl = false;
        if (given.Length == 0)
        {
            given = context.Request.Query["code"].ToString();
            inUrl = given.Length > 0;
        }

        if (Equal(given, key))
        {
            if (inUrl)
            {
                context.Response.Headers.Warning = CodeWarning;
                LogKeyInUrl(logger, context.Request.Method, EntityRoutes.Printable(path.Value));
            }

            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, ApiKeyIdentity)], "ApiKey"));
            return next(context);
        }

        return ProblemMapper.WriteAsync(context, new Problem(401, "missing-api-key", "Unauthorized",
            "This host requires an API key (header x-api-key or x-functions-key, or ?code=)."));
    }

    private static bool Equal(string given, string expected) =>
        given.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: the API key was sent in the URL (?code=); send it in a header instead")]
    private static partial void LogKeyInUrl(ILogger logger, string method, string path);
}
