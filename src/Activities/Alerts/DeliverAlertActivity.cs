using System.Net;
using System.Text.Json.Nodes;
using System.Text;
using EccoStudio.Activities.Common;
using EccoStudio.Activities.Rules;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Redaction;
using EccoStudio.Storage.Staging;
using EccoStudio.Storage.Store;
using EccoStudio.Telemetry;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Activities.Alerts;

/// <summary>Input: the alert (its body by reference), the env whose <c>logs/</c> hold the delivery record, the owner (orchestration instance) and the time to stamp.</summary>
public sealed record DeliverAlertInput(string Env, AlertMessage Alert, string Owner, DateTimeOffset At);

/// <summary>The record's final or current state, the POSTs made by this run, and the last error.</summary>
public sealed record DeliverAlertOutput(string DedupeKey, string State, int PostsThisRun, string? LastError);

/// <summary>
/// Step 5b: POST the alert to its webhook AT MOST ONCE per dedupe key. The delivery record
/// <c>env/{env}/logs/alerts/{dedupeKey}.json</c> is created create-only ("claimed", with the owner) before anything is
/// posted, and moved by CAS: "posting" before each POST, then "delivered" (2xx), "retryable" (the POST definitely did
/// not deliver: connection refused, 408/429/5xx), "rejected" (other 4xx) or "unknown" (timeout: the receiver may have
/// it). A run that finds "posting" (a crash between POST and record) marks it "unknown" and does not post: a lost
/// alert is preferred to a duplicate, and both "unknown" and exhausted retries are visible to ops in the record. Only
/// the owner posts; a record owned by another instance (same rule version on the same snapshot version) is left to it.
/// Transient failures are retried in the run (<see cref="AlertDeliveryOptions.MaxPostAttempts"/>), then the run throws
/// <see cref="AlertDeliveryException"/> so the orchestrator's retry policy runs it again.
/// The destination is the configured webhook the alert names (<see cref="StorageContext.Webhooks"/>), checked again
/// here (a webhook removed or refused since the rule was written is "rejected", never posted) and dialled only through
/// <see cref="WebhookHttpHandler"/>. Records, logs and errors name the webhook, never its URL (a credential), and never
/// hold the body: it is read from its staged copy just before posting, and that copy is discarded once the record is final.
/// </summary>
public sealed partial class DeliverAlertActivity(
    StorageContext storage,
    IHttpClientFactory httpClients,
    AlertDeliveryOptions options,
    ILogger<DeliverAlertActivity> logger) : TaskActivity<DeliverAlertInput, DeliverAlertOutput>
{
    public override async Task<DeliverAlertOutput> RunAsync(TaskActivityContext context, DeliverAlertInput input)
    {
        var alert = input.Alert;
        var bucket = storage.Bucket(input.Env);
        var name = ObjectPaths.Log(input.Env, $"alerts/{alert.DedupeKey}.json");
        var (record, generation) = await ClaimAsync(bucket, name, input);
        var state = EnvelopeReader.TryGetString(record, "state");
        var owner = EnvelopeReader.TryGetString(record, "owner");
        if (state is AlertDeliveryState.Delivered or AlertDeliveryState.Rejected or AlertDeliveryState.Unknown || owner != input.Owner)
        {
            AlertTelemetry.Suppressed.Add(1, new KeyValuePair<string, object?>(EccoTags.Reason, owner != input.Owner ? "other_owner" : "already_" + state));
            await DiscardPayloadAsync(input); // this owner's copy: it will not post
            return new DeliverAlertOutput(alert.DedupeKey, state ?? AlertDeliveryState.Unknown, 0, EnvelopeReader.TryGetString(record, "last_error"));
        }

        if (state == AlertDeliveryState.Posting)
        {
            await UpdateAsync(bucket, name, record, generation, AlertDeliveryState.Unknown, input.At, "a previous attempt stopped while posting");
            LogUnknown(logger, alert.DedupeKey);
            AlertTelemetry.Suppressed.Add(1, new KeyValuePair<string, object?>(EccoTags.Reason, "interrupted"));
            await DiscardPayloadAsync(input);
            return new DeliverAlertOutput(alert.DedupeKey, AlertDeliveryState.Unknown, 0, "a previous attempt stopped while posting");
        }

        if (storage.Webhooks.TryResolve(alert.Webhook, out var refused) is not { } destination)
        {
            await UpdateAsync(bucket, name, record, generation, AlertDeliveryState.Rejected, input.At, refused);
            LogRefused(logger, alert.DedupeKey, alert.Webhook);
            await DiscardPayloadAsync(input);
            return new DeliverAlertOutput(alert.DedupeKey, AlertDeliveryState.Rejected, 0, refused);
        }

        var payload = alert.Payload ?? (alert.StagedPayload is { } staged && await new StagedObjects(storage).ReadAsync(input.Env, staged) is { } bytes
            ? Encoding.UTF8.GetString(bytes)
            : null);
        if (payload is null)
        {
            const string Gone = "the alert body is no longer staged (cleared by the tmp/ lifecycle)";
            await UpdateAsync(bucket, name, record, generation, AlertDeliveryState.Rejected, input.At, Gone);
            return new DeliverAlertOutput(alert.DedupeKey, AlertDeliveryState.Rejected, 0, Gone);
        }

        var client = httpClients.CreateClient(AlertDeliveryOptions.HttpClientName);
        string? lastError = null;
        for (var attempt = 1; attempt <= Math.Max(1, options.MaxPostAttempts); attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(options.RetryDelay * Math.Pow(2, attempt - 2));
            }

            generation = await UpdateAsync(bucket, name, record, generation, AlertDeliveryState.Posting, input.At, lastError, countAttempt: true);
            var (outcome, error) = await PostAsync(client, destination, alert.DedupeKey, payload);
            lastError = error;
            var next = outcome switch
            {
                PostOutcome.Delivered => AlertDeliveryState.Delivered,
                PostOutcome.NotDelivered => AlertDeliveryState.Retryable,
                PostOutcome.Rejected => AlertDeliveryState.Rejected,
                _ => AlertDeliveryState.Unknown,
            };
            AlertTelemetry.Sent.Add(1, new KeyValuePair<string, object?>(EccoTags.Outcome, next));
            generation = await UpdateAsync(bucket, name, record, generation, next, input.At, error);
            if (next != AlertDeliveryState.Retryable)
            {
                LogOutcome(logger, alert.DedupeKey, alert.Webhook, next);
                await DiscardPayloadAsync(input);
                return new DeliverAlertOutput(alert.DedupeKey, next, attempt, error);
            }
        }

        throw new AlertDeliveryException(alert.DedupeKey, $"not delivered to webhook '{alert.Webhook}' after {options.MaxPostAttempts} attempts: {lastError}");
    }

    private async Task<(JsonObject Record, long Generation)> ClaimAsync(string bucket, string name, DeliverAlertInput input)
    {
        for (var attempt = 0; ; attempt++)
        {
            var existing = await storage.Store.GetAsync(bucket, name);
            if (existing is not null)
            {
                return (JsonText.ParseObject(existing.Content.Span), existing.Generation);
            }

            var record = new JsonObject
            {
                ["dedupe_key"] = input.Alert.DedupeKey,
                ["rule_id"] = input.Alert.RuleId,
                ["entity_id"] = input.Alert.EntityId,
                ["webhook"] = input.Alert.Webhook,
                ["owner"] = input.Owner,
                ["state"] = AlertDeliveryState.Claimed,
                ["attempts"] = 0,
                ["last_error"] = null,
                ["updated_at"] = Rfc3339.Format(input.At),
            };
            try
            {
                var info = await storage.Store.PutAsync(bucket, name, JsonText.ToBytes(record), PutOptions.CreateOnly);
                return (record, info.Generation);
            }
            catch (PreconditionFailedException) when (attempt < 3)
            {
                // Created meanwhile (by a crashed attempt or another owner): read what is there.
            }
        }
    }

    private async Task<long> UpdateAsync(string bucket, string name, JsonObject record, long generation, string state, DateTimeOffset at, string? error,
        bool countAttempt = false)
    {
        record["state"] = state;
        record["last_error"] = error;
        record["updated_at"] = Rfc3339.Format(at);
        if (countAttempt)
        {
            record["attempts"] = (record["attempts"]?.GetValue<int>() ?? 0) + 1;
        }

        // CAS: a concurrent run of the same owner loses here instead of posting twice.
        var info = await storage.Store.PutAsync(bucket, name, JsonText.ToBytes(record), PutOptions.Replacing(generation));
        return info.Generation;
    }

    /// <summary>A final record (or another owner's) needs this owner's staged body no more.</summary>
    private Task DiscardPayloadAsync(DeliverAlertInput input) => StagedCopies.DiscardAsync(storage, input.Env, input.Alert.StagedPayload, logger);

    private async Task<(PostOutcome Outcome, string? Error)> PostAsync(HttpClient client, Uri destination, string dedupeKey, string payload)
    {
        using var timeout = new CancellationTokenSource(options.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, destination)
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", dedupeKey);
        request.Options.Set(EccoTelemetryNames.RedactUrl, true); // webhook URLs often carry a secret in the path
        try
        {
            // Headers only: the body is never read (a receiver cannot make us buffer megabytes); disposing drops it.
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return (PostOutcome.Delivered, null);
            }

            if (code is >= 300 and < 400)
            {
                return (PostOutcome.Rejected, $"HTTP {code} (redirects are not followed)");
            }

            var error = $"HTTP {code}";
            return code >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
                ? (PostOutcome.NotDelivered, error)
                : (PostOutcome.Rejected, error);
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookDestinationRefusedException refused)
        {
            return (PostOutcome.Rejected, refused.Message);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            return (PostOutcome.NotDelivered, Redactor.Text(e.Message));
        }
        catch (HttpRequestException e)
        {
            return (PostOutcome.Ambiguous, Redactor.Text(e.Message));
        }
        catch (OperationCanceledException)
        {
            return (PostOutcome.Ambiguous, $"no answer within {options.RequestTimeout}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {DedupeKey} to webhook {Webhook}: {State}")]
    private static partial void LogOutcome(ILogger logger, string dedupeKey, string webhook, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {DedupeKey}: webhook {Webhook} is not configured or not allowed; rejected, not posted")]
    private static partial void LogRefused(ILogger logger, string dedupeKey, string webhook);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {DedupeKey}: a previous attempt stopped while posting; marked unknown, not re-posted (at most once)")]
    private static partial void LogUnknown(ILogger logger, string dedupeKey);

    private enum PostOutcome
    {
        Delivered,
        NotDelivered,
        Rejected,
        Ambiguous,
    }
}
