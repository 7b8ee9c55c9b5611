using EccoStudio.Api.Reads;
using EccoStudio.Api.Writes;
using EccoStudio.Storage.History;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Triggers.Http;

/// <summary>
/// The entity API (<c>/api/{env}/{entity}/{id}</c>, <c>/history</c>, <c>/api/{env}/{entity}</c>): thin triggers over the
/// shared handlers. Every route needs a function key (AuthorizationLevel.Function).
/// </summary>
public sealed class EntityFunctions(WriteRequestHandler writes, BatchRequestHandler batches, ReadRequestHandler reads)
{
    [Function("PostEntityBatch")]
    public async Task<IResult> PostEntityBatch(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "{env}/{entity}:batch")] HttpRequest request,
        string env, string entity, [DurableClient] DurableTaskClient client) =>
        await batches.HandleAsync(request, env, entity, client, new FunctionsStatusLinks(client, request), request.HttpContext.RequestAborted);

    [Function("PutEntity")]
    public async Task<IResult> PutEntity(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "{env}/{entity}/{id}")] HttpRequest request,
        string env, string entity, string id, [DurableClient] DurableTaskClient client) =>
        await writes.HandleAsync(request, env, entity, id, ChangeKind.Full, client, new FunctionsStatusLinks(client, request), request.HttpContext.RequestAborted);

    [Function("PatchEntity")]
    public async Task<IResult> PatchEntity(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = "{env}/{entity}/{id}")] HttpRequest request,
        string env, string entity, string id, [DurableClient] DurableTaskClient client) =>
        await writes.HandleAsync(request, env, entity, id, ChangeKind.MergePatch, client, new FunctionsStatusLinks(client, request), request.HttpContext.RequestAborted);

    [Function("DeleteEntity")]
    public async Task<IResult> DeleteEntity(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "{env}/{entity}/{id}")] HttpRequest request,
        string env, string entity, string id, [DurableClient] DurableTaskClient client) =>
        await writes.DeleteAsync(request, env, entity, id, client, new FunctionsStatusLinks(client, request), request.HttpContext.RequestAborted);

    [Function("GetEntity")]
    public Task<IResult> GetEntity(
        [HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = "{env}/{entity}/{id}")] HttpRequest request,
        string env, string entity, string id) =>
        reads.GetEntityAsync(request, env, entity, id, request.HttpContext.RequestAborted);

    [Function("GetEntityHistory")]
    public Task<IResult> GetEntityHistory(
        [HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = "{env}/{entity}/{id}/history")] HttpRequest request,
        string env, string entity, string id) =>
        reads.GetHistoryAsync(request, env, entity, id, request.HttpContext.RequestAborted);

    [Function("GetEntityCollection")]
    public Task<IResult> GetEntityCollection(
        [HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = "{env}/{entity}")] HttpRequest request,
        string env, string entity) =>
        reads.GetCollectionAsync(request, env, entity, request.HttpContext.RequestAborted);
}
