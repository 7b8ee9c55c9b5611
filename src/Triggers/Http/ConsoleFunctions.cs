using EccoStudio.Api.Console;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace EccoStudio.Triggers.Http;

/// <summary>
/// The ops console in the Functions app: the same embedded page as the local host's <c>/ops</c>, at <c>/api/ops/</c>,
/// and its catalog and drift-check routes. The page calls the management API at <c>/runtime/webhooks/durabletask</c>
/// (served by the Durable extension; it needs the system key, which the page sends as <c>x-functions-key</c> when
/// given as the API key) and the entity API at <c>/api</c>.
/// </summary>
public sealed class ConsoleFunctions(ConsoleRequestHandler console)
{
    /// <summary>Anonymous: static files only, no data; every call the page makes carries the key.</summary>
    [Function("OpsConsole")]
    public static IResult Page(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "ops/{*path}")] HttpRequest request, string? path) =>
        string.IsNullOrEmpty(path) && !request.Path.Value!.EndsWith('/')
            ? Results.Redirect(request.PathBase + request.Path + "/")
            : ConsoleAssets.Serve(path);

    [Function("OpsCatalog")]
    public IResult Catalog([HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = "ops/catalog")] HttpRequest request) =>
        console.Catalog();

    [Function("OpsVerify")]
    public Task<IResult> Verify(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ops/verify/{env}/{entity}")] HttpRequest request, string env, string entity) =>
        console.VerifyAsync(env, entity, request.HttpContext.RequestAborted);
}
