using System.Text.Json.Nodes;
using EccoStudio.Api.Configuration;
using EccoStudio.Api.Routing;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Layout;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EccoStudio.Api.Health;

/// <summary><c>GET /api/health</c>: storage reachable (one list call per served bucket) and engine connected (one query).</summary>
public sealed partial class HealthHandler(StorageContext storage, IOptions<EccoApiOptions> options, ILogger<HealthHandler> logger)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<IResult> HandleAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var storageStatus = await CheckAsync("storage", async ct =>
        {
            foreach (var bucket in options.Value.Environments.Select(storage.Bucket).Distinct(StringComparer.Ordinal))
            {
                await storage.Store.ListAsync(bucket, ObjectPaths.EnvRoot(options.Value.Environments[0]), pageSize: 1, cancellationToken: ct);
            }
        }, cancellationToken);
        var engineStatus = await CheckAsync("engine", async ct =>
        {
            await foreach (var page in client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 1 }).AsPages(null, 1).WithCancellation(ct))
            {
                _ = page;
                break;
            }
        }, cancellationToken);
        var healthy = storageStatus == "ok" && engineStatus == "ok";
        return ApiResults.Json(healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, new JsonObject
        {
            ["status"] = healthy ? "healthy" : "unhealthy",
            ["storage"] = storageStatus,
            ["engine"] = engineStatus,
            ["environments"] = new JsonArray([.. options.Value.Environments.Select(e => (JsonNode)e)]),
        });
    }

    private async Task<string> CheckAsync(string what, Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await probe(timeout.Token);
            return "ok";
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogUnhealthy(logger, what, e.GetType().Name, e.Message);
            return "unreachable";
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health: {What} check failed ({Type}: {Message})")]
    private static partial void LogUnhealthy(ILogger logger, string what, string type, string message);
}
