using System.Diagnostics;
using EccoStudio.Api.Configuration;
using EccoStudio.Api.Instances;
using EccoStudio.Api.Problems;
using EccoStudio.Api.Routing;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Writes;
using EccoStudio.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EccoStudio.Api.Writes;

/// <summary>
/// <c>PUT</c> (full document, <c>application/json</c>) and <c>PATCH</c> (<c>application/merge-patch+json</c>) of
/// <c>/api/{env}/{entity}/{id}</c>: route → stamp the envelope → validate everything (id, envelope, schema, index
/// keys) → start WriteEntityOrchestrator → 202 with <c>Location</c> and the check-status payload. Nothing is
/// scheduled or written when validation fails or an <c>If-Match</c>/<c>If-None-Match</c> condition does not hold
/// (412; the condition is enforced again at the snapshot swap). An <c>Idempotency-Key</c> maps a retried request to the same instance.
/// </summary>
public sealed partial class WriteRequestHandler(
    StorageContext storage,
    IEntityWorkScheduler scheduler,
    IOptions<EccoApiOptions> options,
    TimeProvider time,
    ILogger<WriteRequestHandler> logger)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string AuthorHeader = "x-ecco-author";

    public async Task<IResult> HandleAsync(HttpRequest request, string? env, string? entity, string? id, ChangeKind change,
        DurableTaskClient client, IStatusLinks links, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var target = EntityRoutes.Resolve(env, entity, id, settings);
        var key = IdempotencyKey(request);
        var author = Author(request, settings);
        var mediaTypes = change == ChangeKind.MergePatch ? new[] { RequestBodies.MergePatch } : [RequestBodies.Json];
        var precondition = ConditionalHeaders.Parse(request);
        var body = await RequestBodies.ReadObjectAsync(request, settings.MaxBodyBytes, mediaTypes, cancellationToken);

        var instanceId = InstanceIds.Write(target, key);
        TagSpan(target, instanceId);
        if (key is not null && await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            LogReplayed(logger, instanceId);
            return Accepted(links.Create(instanceId));
        }

        var current = await new EntityReader(storage).GetSnapshotAsync(target, cancellationToken);
        ConditionalHeaders.EnsureSatisfied(precondition, current, target);
        EnvelopeStamper.Stamp(target, body, change, current?.Document, time.GetUtcNow());
        var prepared = await new ChangeValidator(storage).PrepareAsync(target, body, Ulid.NewUlid(), change, cancellationToken);

        // Claim check (docs/security.md "Personal data and the engine"): the orchestration carries a reference to the
        // change staged under tmp/writes/, never the document.
        var (staged, updatedAt) = await WriteStaging.StageAsync(storage, target.Env, body, change, instanceId, cancellationToken);
        var accepted = new AcceptedWrite(target, change, body, author, key, precondition)
        {
            Staged = staged,
            UpdatedAt = updatedAt,
            Validated = WriteStaging.StagedAsValidated(prepared, staged, updatedAt),
        };
        var started = await scheduler.StartWriteAsync(client, instanceId, accepted, cancellationToken);
        LogAccepted(logger, target.ToString(), change, instanceId, started);
        if (started)
        {
            var tags = WriteTelemetry.EntityTags(target.Env, target.Kind.Name);
            tags.Add(EccoTags.Change, change == ChangeKind.MergePatch ? "merge-patch" : "full");
            WriteTelemetry.Accepted.Add(1, tags);
        }
        return Accepted(links.Create(instanceId));
    }

    /// <summary>
    /// <c>DELETE /api/{env}/{entity}/{id}</c>: the entity must exist (404 otherwise) and match <c>If-Match</c> when sent
    /// (412 otherwise); then DeleteEntityOrchestrator starts (tombstone → snapshot, manifest entry and pointers
    /// removed) → 202 with the check-status payload. <c>Idempotency-Key</c> as for writes.
    /// </summary>
    public async Task<IResult> DeleteAsync(HttpRequest request, string? env, string? entity, string? id, DurableTaskClient client, IStatusLinks links,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var target = EntityRoutes.Resolve(env, entity, id, settings);
        var key = IdempotencyKey(request);
        var author = Author(request, settings);
        var instanceId = InstanceIds.Delete(target, key);
        if (key is not null && await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            LogReplayed(logger, instanceId);
            return Accepted(links.Create(instanceId));
        }

        var current = await new EntityReader(storage).GetSnapshotAsync(target, cancellationToken) ?? throw new EntityNotFoundException(target);
        // The same If-Match / If-None-Match rules as writes (ConditionalHeaders); the delete then carries the
        // generation that satisfied them and re-checks it where the snapshot is removed.
        var precondition = ConditionalHeaders.Parse(request);
        ConditionalHeaders.EnsureSatisfied(precondition, current, target);
        long? ifMatch = precondition is { MustExist: true } or { MatchGenerations.Count: > 0 } ? current.Generation : null;
        var started = await scheduler.StartDeleteAsync(client, instanceId, new AcceptedDelete(target, time.GetUtcNow(), ifMatch, author, key), cancellationToken);
        LogAcceptedDelete(logger, target.ToString(), instanceId, started);
        return Accepted(links.Create(instanceId));
    }

    /// <summary>202 with the check-status payload, <c>Location</c> and <c>Retry-After</c> (seconds before the first poll), as the Durable payload helpers answer.</summary>
    public static IResult Accepted(CheckStatusPayload payload) =>
        ApiResults.Json(StatusCodes.Status202Accepted, payload.ToJson(), ("Location", payload.StatusQueryGetUri), ("Retry-After", "1"));

    /// <summary>Names the write on the request's server span (identifiers only; never the body).</summary>
    private static void TagSpan(EntityTarget target, string instanceId)
    {
        if (Activity.Current is { } span)
        {
            span.SetTag(EccoTags.Env, target.Env);
            span.SetTag(EccoTags.Entity, target.Kind.Name);
            span.SetTag(EccoTags.Id, target.Id);
            span.SetTag(EccoTags.InstanceId, instanceId);
        }
    }

    internal static string? IdempotencyKey(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(IdempotencyKeyHeader, out var values))
        {
            return null;
        }

        var key = values.Count == 1 ? values[0] : null;
        return InstanceIds.IsValidIdempotencyKey(key)
            ? key
            : throw ApiProblemException.BadRequest("invalid-idempotency-key",
                $"{IdempotencyKeyHeader} must be one value of 1..{InstanceIds.MaxIdempotencyKeyLength} visible ASCII characters.");
    }

    /// <summary>
    /// Who wrote: the authenticated caller when there is one (the local API key's identity, or an authenticated
    /// principal the host put on the request), never a header the caller chose; otherwise (no authentication at
    /// all) the <c>x-ecco-author</c> claim or <see cref="EccoApiOptions.DefaultAuthor"/>.
    /// </summary>
    internal static string Author(HttpRequest request, EccoApiOptions settings)
    {
        if (request.HttpContext.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name })
        {
            return name;
        }

        var value = request.Headers[AuthorHeader].ToString();
        if (string.IsNullOrEmpty(value))
        {
            return settings.DefaultAuthor;
        }

        return value.Length <= 128 && value.All(c => c is >= ' ' and <= '~')
            ? value
            : throw ApiProblemException.BadRequest("invalid-author", $"{AuthorHeader} must be 1..128 printable ASCII characters.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Write {Target} ({Change}) accepted as {InstanceId} (new start: {Started})")]
    private static partial void LogAccepted(ILogger logger, string target, ChangeKind change, string instanceId, bool started);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delete {Target} accepted as {InstanceId} (new start: {Started})")]
    private static partial void LogAcceptedDelete(ILogger logger, string target, string instanceId, bool started);

    [LoggerMessage(Level = LogLevel.Information, Message = "Idempotent replay: {InstanceId} already exists")]
    private static partial void LogReplayed(ILogger logger, string instanceId);
}
