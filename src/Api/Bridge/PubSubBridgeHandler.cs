using System.Diagnostics;
using System.Text.Json.Nodes;
using EccoStudio.Api.Configuration;
using EccoStudio.Api.Problems;
using EccoStudio.Api.Routing;
using EccoStudio.Api.Writes;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Redaction;
using EccoStudio.Storage.Writes;
using EccoStudio.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EccoStudio.Api.Bridge;

/// <summary>
/// <c>POST /api/pubsub/gcs-events</c>: Pub/Sub push deliveries of GCS notifications for <c>history/</c> and
/// <c>snapshots/</c> objects (spec §6). Order: verify the OIDC token (401) → require application/json (415) → parse the envelope (400, so Pub/Sub
/// retries and dead-letters) → ignore foreign buckets/paths/events (204 + log) → skip changes already reflected
/// (200) → start ReconcileEntityOrchestrator under an id derived from object name + generation (202; a duplicate
/// delivery finds the instance and answers 200).
/// </summary>
public sealed partial class PubSubBridgeHandler(
    StorageContext storage,
    IEntityWorkScheduler scheduler,
    IPushTokenVerifier verifier,
    IOptions<PubSubBridgeOptions> bridgeOptions,
    IOptions<EccoApiOptions> apiOptions,
    ILogger<PubSubBridgeHandler> logger)
{
    public async Task<IResult> HandleAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        GcsNotification notification;
        try
        {
            if (bridgeOptions.Value.VerifyToken)
            {
                await verifier.VerifyAsync(request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null, cancellationToken);
            }

            // JSON only: a browser can send text/plain cross-site without a preflight, never application/json.
            RequestBodies.RequireMediaType(request, [RequestBodies.Json]);
            var body = await RequestBodies.ReadAsync(request, apiOptions.Value.MaxBodyBytes, cancellationToken);
            notification = GcsNotification.Parse(body);
        }
        catch (Exception e) when (ProblemMapper.Map(e).Status is >= 400 and < 500)
        {
            var reason = ProblemMapper.Map(e).Status switch { 401 => "unauthorized", 403 => "forbidden", 413 => "too_large", 415 => "media_type", _ => "bad_request" };
            BridgeTelemetry.Received.Add(1, new KeyValuePair<string, object?>(EccoTags.Outcome, "refused"));
            BridgeTelemetry.Refused.Add(1, new KeyValuePair<string, object?>(EccoTags.Reason, reason));
            throw;
        }

        var (outcome, instanceId) = await HandleAsync(notification, client, cancellationToken);
        BridgeTelemetry.Received.Add(1, new KeyValuePair<string, object?>(EccoTags.Outcome, outcome switch
        {
            BridgeOutcome.Started => "started",
            BridgeOutcome.Duplicate => "duplicate",
            BridgeOutcome.AlreadyReflected => "reflected",
            BridgeOutcome.Ignored => "ignored",
            _ => outcome.ToString().ToLowerInvariant(),
        }));
        if (outcome == BridgeOutcome.Duplicate)
        {
            BridgeTelemetry.Duplicates.Add(1);
        }

        if (Activity.Current is { } span)
        {
            span.SetTag(EccoTags.ObjectName, StorageTelemetry.RedactObjectName(notification.ObjectName));
            span.SetTag(EccoTags.Generation, notification.Generation);
            span.SetTag(EccoTags.Outcome, outcome.ToString());
            span.SetTag(EccoTags.InstanceId, instanceId);
        }

        var json = new JsonObject { ["outcome"] = outcome.ToString(), ["instanceId"] = instanceId };
        return outcome switch
        {
            BridgeOutcome.Started => ApiResults.Json(StatusCodes.Status202Accepted, json),
            BridgeOutcome.Ignored => ApiResults.Status(StatusCodes.Status204NoContent),
            _ => ApiResults.Json(StatusCodes.Status200OK, json),
        };
    }

    public async Task<(BridgeOutcome Outcome, string? InstanceId)> HandleAsync(GcsNotification notification, DurableTaskClient client, CancellationToken cancellationToken)
    {
        // Message ids and object names come from whoever published: one log entry stays one line.
        var messageId = Redactor.SingleLine(notification.MessageId);
        var objectName = Redactor.SingleLine(notification.ObjectName);
        if (notification.EventType != GcsNotification.FinalizeEvent)
        {
            LogIgnored(logger, messageId, objectName, "event type " + Redactor.SingleLine(notification.EventType));
            return (BridgeOutcome.Ignored, null);
        }

        var parsed = ObjectNameParser.TryParse(notification.ObjectName);
        if (parsed?.Target is not { } target || parsed.Category is not (ObjectCategory.History or ObjectCategory.Snapshot))
        {
            LogIgnored(logger, messageId, objectName, "not a history or snapshot object of the layout");
            return (BridgeOutcome.Ignored, null);
        }

        if (!apiOptions.Value.Serves(target.Env) || storage.Bucket(target.Env) != notification.Bucket)
        {
            LogIgnored(logger, messageId, objectName, $"bucket {Redactor.SingleLine(notification.Bucket)} / env {target.Env} is not served here");
            return (BridgeOutcome.Ignored, null);
        }

        if (await IsReflectedAsync(parsed, target, notification, cancellationToken))
        {
            LogReflected(logger, objectName);
            return (BridgeOutcome.AlreadyReflected, null);
        }

        var instanceId = InstanceIds.ReconcileForChange(target, notification.ObjectName, notification.Generation);
        var started = await scheduler.StartReconcileAsync(client, instanceId, target, "gcs:" + notification.ObjectName, cancellationToken);
        LogReconcile(logger, messageId, objectName, instanceId, started);
        return (started ? BridgeOutcome.Started : BridgeOutcome.Duplicate, instanceId);
    }

    /// <summary>
    /// Our own objects that are already reflected need no reconcile: a history object whose ULID is the snapshot's
    /// last applied change, or a snapshot that carries the last-applied marker only this system writes and still is
    /// the live generation. Anything else (foreign uploads, late or out-of-order history) is reconciled.
    /// </summary>
    private async Task<bool> IsReflectedAsync(ParsedObjectName parsed, EntityTarget target, GcsNotification notification, CancellationToken cancellationToken)
    {
        if (parsed.Category == ObjectCategory.Snapshot)
        {
            if (!notification.ObjectMetadata.ContainsKey(StorageContext.LastAppliedMetadataKey))
            {
                var info = await storage.Store.GetInfoAsync(notification.Bucket, notification.ObjectName, cancellationToken);
                return info is not null && info.Metadata.ContainsKey(StorageContext.LastAppliedMetadataKey)
                    && (notification.Generation is null || info.Generation == notification.Generation);
            }

            return true;
        }

        var snapshot = await new EntityReader(storage).GetSnapshotAsync(target, cancellationToken);
        return snapshot?.LastApplied is { } last && last.Ulid == parsed.HistoryUlid;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bridge: message {MessageId} for {ObjectName} ignored ({Reason})")]
    private static partial void LogIgnored(ILogger logger, string messageId, string objectName, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bridge: {ObjectName} is already reflected")]
    private static partial void LogReflected(ILogger logger, string objectName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bridge: message {MessageId} for {ObjectName} → reconcile {InstanceId} (new start: {Started})")]
    private static partial void LogReconcile(ILogger logger, string messageId, string objectName, string instanceId, bool started);
}
