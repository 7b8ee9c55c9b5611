using EccoStudio.Api.Bridge;
using EccoStudio.Api.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Triggers.Http;

/// <summary>Health and the Pub/Sub push bridge: the two anonymous HTTP triggers, each with its reason.</summary>
public sealed class PlatformFunctions(HealthHandler health, PubSubBridgeHandler bridge)
{
    /// <summary>Anonymous: load balancers and uptime probes carry no function key; the answer reveals only up/down.</summary>
    [Function("Health")]
    public Task<IResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "health")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        health.HandleAsync(client, request.HttpContext.RequestAborted);

    /// <summary>
    /// Anonymous at the key level: Pub/Sub push authenticates with a Google-signed OIDC token, verified in code
    /// (audience + service account; 401 otherwise). A function key in the push URL would leak into Pub/Sub config.
    /// </summary>
    [Function("PubSubGcsEvents")]
    public Task<IResult> PubSubGcsEvents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "pubsub/gcs-events")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        bridge.HandleAsync(request, client, request.HttpContext.RequestAborted);
}
