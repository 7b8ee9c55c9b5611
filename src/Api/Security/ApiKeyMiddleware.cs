using System.Security.Cryptography;
using System.Text;
using EccoStudio.Api.Configuration;
using EccoStudio.Api.Console;
using EccoStudio.Api.Problems;
using EccoStudio.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EccoStudio.Api.Security;

/// <summary>
/// Local host: when <see cref="EccoApiOptions.ApiKey"/> is set, every request except <c>/api/health</c> (probes), the
/// console's static files under <c>/ops</c> and the Pub/Sub bridge (authenticated by its OIDC token) must carry the key in <c>x-api-key</c>, <c>x-functions-key</c> or
/// <c>?code=</c> (the Functions key conventions, so scripts work against both hosts). Compared in constant time; the key
/// never appears in a response or log line.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<EccoApiOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var key = options.Value.ApiKey;
        if (string.IsNullOrEmpty(key) || IsExempt(context.Request.Path))
        {
            return next(context);
        }

        var given = context.Request.Headers["x-api-key"].ToString();
        if (given.Length == 0)
        {
            given = context.Request.Headers["x-functions-key"].ToString();
        }

        if (given.Length == 0)
        {
            given = context.Request.Query["code"].ToString();
        }

        if (given.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key)))
        {
            return next(context);
        }

        return ProblemMapper.WriteAsync(context, new Problem(401, "missing-api-key", "Unauthorized",
            "This host requires an API key (header x-api-key or x-functions-key, or ?code=)."));
    }

    private static bool IsExempt(PathString path) =>
        path.Equals("/" + EntityRoutes.Health, StringComparison.OrdinalIgnoreCase)
        // The console's static files (no data): the page asks for the key and sends it on every API call.
        || path.StartsWithSegments(ConsoleRoutes.Root, StringComparison.OrdinalIgnoreCase)
        || path.Equals("/" + EntityRoutes.PubSubPush, StringComparison.OrdinalIgnoreCase);
}
