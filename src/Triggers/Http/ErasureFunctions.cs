using EccoStudio.Api.Erasure;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Triggers.Http;

/// <summary>
/// The erasure management route (<c>POST /api/ops/erase/{env}/{entity}/{id}</c>, docs/api.md "Erase"): a thin trigger
/// over the shared handler. Function key, as the entity API and the local host's single API key.
/// </summary>
public sealed class ErasureFunctions(EraseRequestHandler erase)
{
    [Function("OpsErase")]
    public Task<IResult> Erase(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = EraseRequestHandler.FunctionsRoute)] HttpRequest request,
        string env, string entity, string id, [DurableClient] DurableTaskClient client) =>
        erase.HandleAsync(request, env, entity, id, client, new FunctionsStatusLinks(client, request), request.HttpContext.RequestAborted);
}
