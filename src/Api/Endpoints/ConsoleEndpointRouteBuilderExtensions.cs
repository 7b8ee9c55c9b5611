using EccoStudio.Api.Console;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EccoStudio.Api.Endpoints;

/// <summary>The ops console on plain ASP.NET Core: <c>/ops</c> (embedded page and assets) and its catalog and drift-check routes.</summary>
public static class ConsoleEndpointRouteBuilderExtensions
{
    public static IEndpointRouteBuilder MapEccoConsole(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(ConsoleRoutes.Root, EccoEndpointRouteBuilderExtensions.GetOrHead, (HttpContext c) =>
            c.Request.Path.Value!.EndsWith('/') ? ConsoleAssets.Serve(null) : Results.Redirect(ConsoleRoutes.Root + "/"));
        endpoints.MapMethods(ConsoleRoutes.Root + "/{file}", EccoEndpointRouteBuilderExtensions.GetOrHead, (string file) => ConsoleAssets.Serve(file));
        endpoints.MapMethods("/" + ConsoleRoutes.Catalog, EccoEndpointRouteBuilderExtensions.GetOrHead, (ConsoleRequestHandler h) => h.Catalog());
        endpoints.MapPost("/" + ConsoleRoutes.Verify, (HttpContext c, string env, string entity, ConsoleRequestHandler h) =>
            h.VerifyAsync(env, entity, c.RequestAborted));
        return endpoints;
    }
}
