using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.Api.Configuration;
using EccoStudio.Api.Instances;
using EccoStudio.Api.Problems;
using EccoStudio.Api.Routing;
using EccoStudio.Api.Writes;
using EccoStudio.Orchestrations.Erasure;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Erasure;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EccoStudio.Api.Erasure;

/// <summary>
/// <c>POST /api/ops/erase/{env}/{entity}/{id}</c> with <c>{"reason": "…"}</c> (docs/api.md, "Erase"): route → body
/// (a reason of 1..500 characters of text is required: 422 otherwise) → the entity has objects (404 otherwise) → no
/// object retention protects its history (409 <c>erasure-blocked-by-retention</c> otherwise) → starts
/// EraseEntityOrchestrator → 202 with the check-status payload. Who asked is the caller's identity or
/// <c>x-ecco-author</c>, as for writes; <c>Idempotency-Key</c> maps a retried request to the same erasure. Nothing
/// is started or written when a check fails.
/// </summary>
public sealed partial class EraseRequestHandler(
    StorageContext storage,
    IObjectVersions versions,
    IEntityWorkScheduler scheduler,
    IOptions<EccoApiOptions> options,
    TimeProvider time,
    ILogger<EraseRequestHandler> logger)
{
    public const string Route = "api/ops/erase/{env}/{entity}/{id}";

    /// <summary>The Functions app's route (its prefix <c>api</c> is implied).</summary>
    public const string FunctionsRoute = "ops/erase/{env}/{entity}/{id}";

    public const int MaxReasonLength = 500;

    public async Task<IResult> HandleAsync(HttpRequest request, string? env, string? entity, string? id, DurableTaskClient client, IStatusLinks links,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var target = EntityRoutes.Resolve(env, entity, id, settings);
        var key = WriteRequestHandler.IdempotencyKey(request);
        var author = WriteRequestHandler.Author(request, settings);
        var reason = await ReasonAsync(request, settings.MaxBodyBytes, cancellationToken);

        var instanceId = InstanceIds.Erase(target, key);
        if (key is not null && await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            LogReplayed(logger, instanceId);
            return WriteRequestHandler.Accepted(links.Create(instanceId));
        }

        var eraser = new EntityEraser(storage, versions);
        if (!await eraser.HasObjectsAsync(target, cancellationToken))
        {
            throw new EntityNotFoundException(target, EntityEraser.NothingToErase(target));
        }

        try
        {
            // The route never overrides retention (docs/recovery.md "erase"): lifting an Unlocked one is the CLI's explicit flag.
            await eraser.CheckRetentionAsync(target, overrideUnlockedRetention: false, cancellationToken);
        }
        catch (ErasureBlockedException e)
        {
            throw new ApiProblemException(409, "erasure-blocked-by-retention", "Erasure blocked by object retention", e.Message);
        }

        var started = await scheduler.StartEraseAsync(client, instanceId,
            new EraseEntityInput(target.Env, target.Kind.Name, target.Id, reason, author, time.GetUtcNow()), cancellationToken);
        LogAccepted(logger, target.ToString(), instanceId, started);
        return WriteRequestHandler.Accepted(links.Create(instanceId));
    }

    /// <summary>The body's <c>reason</c>: required text (it is kept in the erasure record, the audit trail of why).</summary>
    private static async Task<string> ReasonAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0 || (request.ContentLength is null && string.IsNullOrEmpty(request.ContentType)))
        {
            throw Missing("The request has no body; send {\"reason\": \"…\"} (application/json).");
        }

        var body = await RequestBodies.ReadObjectAsync(request, maxBytes, [RequestBodies.Json], cancellationToken);
        if (body["reason"] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            throw Missing("The body must carry \"reason\": why the data is erased (kept in the erasure record).");
        }

        var reason = value.GetValue<string>();
        return !string.IsNullOrWhiteSpace(reason) && reason.Length <= MaxReasonLength && !reason.Any(char.IsControl)
            ? reason
            : throw Missing($"\"reason\" must be 1..{MaxReasonLength} characters of text without control characters.");
    }

    private static ApiProblemException Missing(string detail) => new(422, "invalid-erasure-request", "Invalid erasure request", detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Erase {Target} accepted as {InstanceId} (new start: {Started})")]
    private static partial void LogAccepted(ILogger logger, string target, string instanceId, bool started);

    [LoggerMessage(Level = LogLevel.Information, Message = "Idempotent replay: {InstanceId} already exists")]
    private static partial void LogReplayed(ILogger logger, string instanceId);
}
