using EccoStudio.Api.Bridge;
using EccoStudio.Api.Erasure;
using EccoStudio.Api.Health;
using EccoStudio.Api.Instances;
using EccoStudio.Api.Migrations;
using EccoStudio.Api.Ops;
using EccoStudio.Api.Problems;
using EccoStudio.Api.Reads;
using EccoStudio.Api.Routing;
using EccoStudio.Api.Security;
using EccoStudio.Api.Writes;
using EccoStudio.Storage.History;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Api.Endpoints;

/// <summary>
/// The HTTP surface on plain ASP.NET Core (the local host): the entity API, health, the Pub/Sub bridge and the
/// Durable Functions management API, all over the shared handlers. The Functions app maps the same handlers with
/// triggers instead.
/// </summary>
public static partial class EccoEndpointRouteBuilderExtensions
{
    /// <summary>Every GET route answers HEAD with the same status and headers and no body.</summary>
    internal static readonly string[] GetOrHead = ["GET", "HEAD"];

    /// <summary>Problem details for every failure, and the optional API key, in front of the endpoints.</summary>
    public static IApplicationBuilder UseEccoStudio(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested || e is not OperationCanceledException)
            {
                var problem = ProblemMapper.Map(e);
                if (problem.Status >= 500)
                {
                    var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("EccoStudio.Api");
                    LogUnhandled(logger, context.Request.Method, context.Request.Path.Value ?? "", e);
                }

                await ProblemMapper.WriteAsync(context, problem);
            }
        });
        app.UseMiddleware<ApiKeyMiddleware>();
        return app;
    }

    public static IEndpointRouteBuilder MapEccoStudio(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/" + EntityRoutes.Health, GetOrHead, (HttpContext c, HealthHandler h, DurableTaskClient client) =>
            h.HandleAsync(client, c.RequestAborted));
        endpoints.MapPost("/" + EntityRoutes.PubSubPush, (HttpContext c, PubSubBridgeHandler h, DurableTaskClient client) =>
            h.HandleAsync(c.Request, client, c.RequestAborted));

        endpoints.MapMethods("/" + EntityRoutes.Entity, ["PUT"], (HttpContext c, string env, string entity, string id, WriteRequestHandler h, DurableTaskClient client) =>
            h.HandleAsync(c.Request, env, entity, id, ChangeKind.Full, client, LocalStatusLinks.For(c.Request), c.RequestAborted));
        endpoints.MapMethods("/" + EntityRoutes.Entity, ["PATCH"], (HttpContext c, string env, string entity, string id, WriteRequestHandler h, DurableTaskClient client) =>
            h.HandleAsync(c.Request, env, entity, id, ChangeKind.MergePatch, client, LocalStatusLinks.For(c.Request), c.RequestAborted));
        endpoints.MapPost("/" + BatchRequestHandler.Route, (HttpContext c, string env, string entity, BatchRequestHandler h, DurableTaskClient client) =>
            h.HandleAsync(c.Request, env, entity, client, LocalStatusLinks.For(c.Request), c.RequestAborted));
        endpoints.MapDelete("/" + EntityRoutes.Entity, (HttpContext c, string env, string entity, string id, WriteRequestHandler h, DurableTaskClient client) =>
            h.DeleteAsync(c.Request, env, entity, id, client, LocalStatusLinks.For(c.Request), c.RequestAborted));
        endpoints.MapPost("/" + EraseRequestHandler.Route, (HttpContext c, string env, string entity, string id, EraseRequestHandler h, DurableTaskClient client) =>
            h.HandleAsync(c.Request, env, entity, id, client, LocalStatusLinks.For(c.Request), c.RequestAborted));
        endpoints.MapPost("/" + MigrateRequestHandler.Route, (HttpContext c, string env, string entity, MigrateRequestHandler h, DurableTaskClient client) =>
            h.HandleAsync(c.Request, env, entity, client, LocalStatusLinks.For(c.Request), c.RequestAborted));
        endpoints.MapMethods("/" + EntityRoutes.Entity, GetOrHead, (HttpContext c, string env, string entity, string id, ReadRequestHandler h) =>
            h.GetEntityAsync(c.Request, env, entity, id, c.RequestAborted));
        endpoints.MapMethods("/" + EntityRoutes.History, GetOrHead, (HttpContext c, string env, string entity, string id, ReadRequestHandler h) =>
            h.GetHistoryAsync(c.Request, env, entity, id, c.RequestAborted));
        endpoints.MapMethods("/" + EntityRoutes.Collection, GetOrHead, (HttpContext c, string env, string entity, ReadRequestHandler h) =>
            h.GetCollectionAsync(c.Request, env, entity, c.RequestAborted));

        endpoints.MapMethods("/" + ManagementRoutes.Root, GetOrHead, (HttpContext c, OpsRequestHandler h, DurableTaskClient client) =>
            h.ListAsync(c.Request, client, c.RequestAborted));
        endpoints.MapDelete("/" + ManagementRoutes.Root, (HttpContext c, OpsRequestHandler h, DurableTaskClient client) =>
            h.PurgeManyAsync(c.Request, client, c.RequestAborted));
        endpoints.MapMethods("/" + ManagementRoutes.Instance, GetOrHead, (HttpContext c, string instanceId, OpsRequestHandler h, DurableTaskClient client) =>
            h.GetStatusAsync(c.Request, instanceId, client, LocalStatusLinks.For(c.Request), c.RequestAborted));
        endpoints.MapDelete("/" + ManagementRoutes.Instance, (HttpContext c, string instanceId, OpsRequestHandler h, DurableTaskClient client) =>
            h.PurgeAsync(c.Request, instanceId, client, c.RequestAborted));
        endpoints.MapPost("/" + ManagementRoutes.Terminate, (HttpContext c, string instanceId, OpsRequestHandler h, DurableTaskClient client) =>
            h.TerminateAsync(c.Request, instanceId, client, c.RequestAborted));
        endpoints.MapPost("/" + ManagementRoutes.Suspend, (HttpContext c, string instanceId, OpsRequestHandler h, DurableTaskClient client) =>
            h.SuspendAsync(c.Request, instanceId, client, c.RequestAborted));
        endpoints.MapPost("/" + ManagementRoutes.Resume, (HttpContext c, string instanceId, OpsRequestHandler h, DurableTaskClient client) =>
            h.ResumeAsync(c.Request, instanceId, client, c.RequestAborted));
        endpoints.MapPost("/" + ManagementRoutes.Restart, (HttpContext c, string instanceId, OpsRequestHandler h, DurableTaskClient client) =>
            h.RestartAsync(c.Request, instanceId, client, LocalStatusLinks.For(c.Request), c.RequestAborted));
        endpoints.MapPost("/" + ManagementRoutes.Rewind, (HttpContext c, string instanceId, OpsRequestHandler h, DurableTaskClient client) =>
            h.RewindAsync(c.Request, instanceId, client, c.RequestAborted));
        endpoints.MapPost("/" + ManagementRoutes.RaiseEvent, (HttpContext c, string instanceId, string eventName, OpsRequestHandler h, DurableTaskClient client) =>
            h.RaiseEventAsync(c.Request, instanceId, eventName, client, c.RequestAborted));

        // Anything else under /api: a problem document, not an empty 404 or 405.
        endpoints.Map("/api/{**rest}", (HttpContext c) => ProblemMapper.ToResult(new Problem(
            c.Request.Method is "GET" or "HEAD" or "PUT" or "PATCH" or "POST" or "DELETE" ? 404 : 405,
            "no-route", "Not found", $"{c.Request.Method} {EntityRoutes.Printable(c.Request.Path.Value)} is not an API route.")));
        return endpoints;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled failure on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, Exception exception);
}
