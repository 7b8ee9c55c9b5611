using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableTask.Core.History;
using EccoStudio.Api.Configuration;
using EccoStudio.Api.Instances;
using EccoStudio.Api.Problems;
using EccoStudio.Api.Routing;
using EccoStudio.Api.Writes;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EccoStudio.Api.Ops;

/// <summary>
/// The Durable Functions HTTP management API over <see cref="DurableTaskClient"/> (the local host serves it; in Azure
/// the Durable extension does): status (202 + Location/Retry-After while running, 200 when done), query with
/// filters and <c>x-ms-continuation-token</c> paging, terminate/suspend/resume/restart/rewind/raiseEvent, purge one or
/// many. Status codes follow the Durable Functions HTTP API reference; every malformed query value or header is a 400
/// problem; a request naming another task hub (<c>?taskHub=</c>) is refused with 404 (never answered from ours).
/// </summary>
public sealed partial class OpsRequestHandler(IOptions<EccoApiOptions> options, ILogger<OpsRequestHandler> logger)
{
    public const string ContinuationHeader = "x-ms-continuation-token";
    private const string TokenPrefix = "ecco1.";

    public async Task<IResult> GetStatusAsync(HttpRequest request, string instanceId, DurableTaskClient client, IStatusLinks links, CancellationToken cancellationToken)
    {
        EnsureTaskHub(request);
        var showInput = QueryParameters.Flag(request, "showInput", true);
        var showHistory = QueryParameters.Flag(request, "showHistory", false);
        var showHistoryOutput = QueryParameters.Flag(request, "showHistoryOutput", false);
        var metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken)
            ?? throw ApiProblemException.NotFound("instance-not-found", $"No orchestration instance '{EntityRoutes.Printable(instanceId)}'.");
        IReadOnlyList<HistoryEvent>? history = null;
        string? historyUnavailable = null;
        if (showHistory)
        {
            (history, historyUnavailable) = await TryHistoryAsync(client, metadata, cancellationToken);
        }

        var body = InstanceJson.Status(metadata, showInput, history, showHistoryOutput, historyUnavailable);
        if (metadata.RuntimeStatus is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended)
        {
            return ApiResults.Json(StatusCodes.Status202Accepted, body,
                ("Location", links.Create(instanceId).StatusQueryGetUri), ("Retry-After", "1"));
        }

        if (metadata.RuntimeStatus == OrchestrationRuntimeStatus.Failed && QueryParameters.Flag(request, "returnInternalServerErrorOnFailure", false))
        {
            return ApiResults.Json(StatusCodes.Status500InternalServerError, body);
        }

        return ApiResults.Json(StatusCodes.Status200OK, body);
    }

    public async Task<IResult> ListAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        EnsureTaskHub(request);
        var top = QueryParameters.Number(request, "top") ?? 100;
        if (top < 1 || top > 1000)
        {
            throw ApiProblemException.BadRequest("invalid-top", "top must be 1..1000.");
        }

        // The Durable extension includes each instance's input unless showInput=false.
        var showInput = QueryParameters.Flag(request, "showInput", true);
        var query = new OrchestrationQuery
        {
            CreatedFrom = QueryParameters.Time(request, "createdTimeFrom"),
            CreatedTo = QueryParameters.Time(request, "createdTimeTo"),
            Statuses = Statuses(request),
            InstanceIdPrefix = QueryParameters.NonEmpty(request, "instanceIdPrefix"),
            PageSize = top,
            FetchInputsAndOutputs = true,
        };
        var token = ContinuationToken(request);
        var pages = client.GetAllInstancesAsync(query).AsPages(token, top);
        var items = new JsonArray();
        string? next = null;
        try
        {
            await foreach (var page in pages.WithCancellation(cancellationToken))
            {
                foreach (var metadata in page.Values)
                {
                    items.Add(InstanceJson.Status(metadata, showInput, null, false));
                }

                next = page.ContinuationToken;
                break;
            }
        }
        catch (Exception e) when (token is not null && e is not OperationCanceledException)
        {
            // The backend could not resume from the token (each backend has its own token format): the caller's input.
            LogBadToken(logger, e.GetType().Name);
            throw ApiProblemException.BadRequest("invalid-continuation-token",
                $"{ContinuationHeader} is not a token this API issued; send back the value of the previous page's response header.");
        }

        return string.IsNullOrEmpty(next)
            ? ApiResults.Json(StatusCodes.Status200OK, items)
            : ApiResults.Json(StatusCodes.Status200OK, items, (ContinuationHeader, TokenPrefix + Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(next))));
    }

    public async Task<IResult> TerminateAsync(HttpRequest request, string instanceId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        EnsureTaskHub(request);
        await RequireActiveAsync(client, instanceId, cancellationToken);
        await client.TerminateInstanceAsync(instanceId, QueryParameters.NonEmpty(request, "reason"), cancellationToken);
        LogOperation(logger, "terminate", instanceId);
        return ApiResults.Status(StatusCodes.Status202Accepted);
    }

    public async Task<IResult> SuspendAsync(HttpRequest request, string instanceId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        EnsureTaskHub(request);
        await RequireActiveAsync(client, instanceId, cancellationToken);
        await client.SuspendInstanceAsync(instanceId, QueryParameters.NonEmpty(request, "reason"), cancellationToken);
        LogOperation(logger, "suspend", instanceId);
        return ApiResults.Status(StatusCodes.Status202Accepted);
    }

    public async Task<IResult> ResumeAsync(HttpRequest request, string instanceId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        EnsureTaskHub(request);
        await RequireActiveAsync(client, instanceId, cancellationToken);
        await client.ResumeInstanceAsync(instanceId, QueryParameters.NonEmpty(request, "reason"), cancellationToken);
        LogOperation(logger, "resume", instanceId);
        return ApiResults.Status(StatusCodes.Status202Accepted);
    }

    public async Task<IResult> RestartAsync(HttpRequest request, string instanceId, DurableTaskClient client, IStatusLinks links, CancellationToken cancellationToken)
    {
        EnsureTaskHub(request);
        _ = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken)
            ?? throw ApiProblemException.NotFound("instance-not-found", $"No orchestration instance '{EntityRoutes.Printable(instanceId)}'.");
        var newId = await client.RestartAsync(instanceId, QueryParameters.Flag(request, "restartWithNewInstanceId", true), cancellationToken);
        LogOperation(logger, "restart", instanceId);
        return WriteRequestHandler.Accepted(links.Create(newId));
    }

    /// <summary>
    /// Rewind, as the Durable extension answers it: 404 unknown instance; 410 Completed/Terminated (nothing to rewind);
    /// 412 any other state than Failed; a Failed instance is rewound (202) when the engine supports it, else 501 with
    /// the engine's reason.
    /// </summary>
    public async Task<IResult> RewindAsync(HttpRequest request, string instanceId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        EnsureTaskHub(request);
        var metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken)
            ?? throw ApiProblemException.NotFound("instance-not-found", $"No orchestration instance '{EntityRoutes.Printable(instanceId)}'.");
        switch (metadata.RuntimeStatus)
        {
            case OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Terminated:
                throw new ApiProblemException(410, "instance-gone", "Gone",
                    $"Instance '{EntityRoutes.Printable(instanceId)}' ended {metadata.RuntimeStatus}; only a Failed instance can be rewound.");
            case not OrchestrationRuntimeStatus.Failed:
                throw new ApiProblemException(412, "instance-not-failed", "Precondition failed",
                    $"Instance '{EntityRoutes.Printable(instanceId)}' is {metadata.RuntimeStatus}; only a Failed instance can be rewound.");
        }

        try
        {
            await client.RewindInstanceAsync(instanceId, QueryParameters.NonEmpty(request, "reason") ?? "rewound through the management API", cancellationToken);
        }
        catch (Exception e) when (e is NotSupportedException or NotImplementedException
            || (e is Grpc.Core.RpcException rpc && rpc.StatusCode is Grpc.Core.StatusCode.Unimplemented))
        {
            LogRewindUnsupported(logger, instanceId, e.GetType().Name);
            throw new ApiProblemException(501, "rewind-not-supported", "Not implemented",
                "This host's orchestration engine (the Durable Task sidecar with its storage backend) does not support rewinding instances; "
                + "restart the instance (POST …/restart) to run its input again.");
        }

        LogOperation(logger, "rewind", instanceId);
        return ApiResults.Status(StatusCodes.Status202Accepted);
    }

    public async Task<IResult> RaiseEventAsync(HttpRequest request, string instanceId, string eventName, DurableTaskClient client, CancellationToken cancellationToken)
    {
        EnsureTaskHub(request);
        var bytes = await RequestBodies.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        JsonElement? payload = null;
        if (bytes.Length > 0)
        {
            // The documented answer to content that is not application/json or not valid JSON is 400.
            try
            {
                RequestBodies.RequireMediaType(request, [RequestBodies.Json]);
            }
            catch (ApiProblemException e) when (e.Status == StatusCodes.Status415UnsupportedMediaType)
            {
                throw ApiProblemException.BadRequest("not-json", "An event payload must be application/json: " + e.Message);
            }

            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            payload = document.RootElement.Clone();
        }

        await RequireActiveAsync(client, instanceId, cancellationToken);
        await client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);
        LogOperation(logger, "raiseEvent " + eventName, instanceId);
        return ApiResults.Status(StatusCodes.Status202Accepted);
    }

    public async Task<IResult> PurgeAsync(HttpRequest request, string instanceId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        EnsureTaskHub(request);
        var result = await client.PurgeInstanceAsync(instanceId, cancellationToken);
        if (result.PurgedInstanceCount == 0)
        {
            throw ApiProblemException.NotFound("instance-not-found", $"No orchestration instance '{EntityRoutes.Printable(instanceId)}' to purge.");
        }

        LogOperation(logger, "purge", instanceId);
        return ApiResults.Json(StatusCodes.Status200OK, new JsonObject { ["instancesDeleted"] = result.PurgedInstanceCount });
    }

    public async Task<IResult> PurgeManyAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        EnsureTaskHub(request);
        var from = QueryParameters.Time(request, "createdTimeFrom")
            ?? throw ApiProblemException.BadRequest("missing-created-time-from", "Bulk purge needs ?createdTimeFrom=.");
        var statuses = Statuses(request);
        var result = await client.PurgeAllInstancesAsync(new PurgeInstancesFilter(from, QueryParameters.Time(request, "createdTimeTo"), statuses), cancellationToken);
        LogOperation(logger, "purge many", result.PurgedInstanceCount.ToString(CultureInfo.InvariantCulture));
        return result.PurgedInstanceCount == 0
            ? throw ApiProblemException.NotFound("no-instances", "No instance matched the purge filter.")
            : ApiResults.Json(StatusCodes.Status200OK, new JsonObject { ["instancesDeleted"] = result.PurgedInstanceCount });
    }

    /// <summary>404 for a request that names another task hub: answering it from ours would report the wrong instances.</summary>
    private void EnsureTaskHub(HttpRequest request)
    {
        var hub = QueryParameters.NonEmpty(request, "taskHub");
        if (hub is not null && !string.Equals(hub, options.Value.TaskHub, StringComparison.OrdinalIgnoreCase))
        {
            throw ApiProblemException.NotFound("unknown-task-hub",
                $"This host serves task hub '{options.Value.TaskHub}', not '{EntityRoutes.Printable(hub)}'.");
        }
    }

    private static string? ContinuationToken(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(ContinuationHeader, out var values) || values.Count == 0 || (values.Count == 1 && string.IsNullOrEmpty(values[0])))
        {
            return null;
        }

        // Tokens are the backend's, wrapped (prefix + base64url) so that one this API did not issue is recognised as such
        // whatever the backend's own format (the in-memory backend would silently accept "-1").
        var token = values.Count == 1 ? values[0]! : null;
        if (token is not null && token.Length <= 8192 && token.StartsWith(TokenPrefix, StringComparison.Ordinal))
        {
            try
            {
                var inner = System.Text.Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan(TokenPrefix.Length)));
                if (inner.Length > 0)
                {
                    return inner;
                }
            }
            catch (FormatException)
            {
                // falls through to the refusal
            }
        }

        throw ApiProblemException.BadRequest("invalid-continuation-token",
            $"{ContinuationHeader} is not a token this API issued; send back the value of the previous page's response header.");
    }

    private static async Task RequireActiveAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken)
    {
        var metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken)
            ?? throw ApiProblemException.NotFound("instance-not-found", $"No orchestration instance '{EntityRoutes.Printable(instanceId)}'.");
        if (metadata.RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)
        {
            throw new ApiProblemException(410, "instance-gone", "Gone", $"Instance '{EntityRoutes.Printable(instanceId)}' already ended ({metadata.RuntimeStatus}).");
        }
    }

    /// <summary>
    /// The instance's history events, or (null, why) when the backend cannot stream them: the response then says so
    /// (<c>historyEvents: null</c> + <c>historyEventsUnavailable</c>) instead of pretending the history is empty. The
    /// local engine streams every instance's history (docs/api.md, "Ops"); an engine without the call answers
    /// UNIMPLEMENTED. A Pending instance has not run yet: no events, as in the Durable extension.
    /// </summary>
    private async Task<(IReadOnlyList<HistoryEvent>? Events, string? Unavailable)> TryHistoryAsync(DurableTaskClient client, OrchestrationMetadata metadata,
        CancellationToken cancellationToken)
    {
        if (metadata.RuntimeStatus == OrchestrationRuntimeStatus.Pending)
        {
            return ([], null);
        }

        try
        {
            var events = await client.GetOrchestrationHistoryAsync(metadata.InstanceId, cancellationToken);
            if (events.Count > 0)
            {
                return ([.. events], null);
            }

            // Every instance that has run has at least its ExecutionStarted event: an empty answer is a backend that
            // does not keep history, not an empty history.
            LogHistoryUnavailable(logger, metadata.InstanceId, "empty history stream");
            return (null, "The orchestration backend returned no history for this instance; customStatus carries the write's step-level progress.");
        }
        catch (ArgumentException)
        {
            // Purged between the status read and the history read.
            throw ApiProblemException.NotFound("instance-not-found", $"No orchestration instance '{EntityRoutes.Printable(metadata.InstanceId)}'.");
        }
        catch (Exception e) when (e is NotSupportedException or NotImplementedException or Grpc.Core.RpcException or InvalidOperationException)
        {
            LogHistoryUnavailable(logger, metadata.InstanceId, e.Message);
            return (null, "The orchestration backend did not return this instance's history: " + FirstLine(e.Message));
        }
    }

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline];
    }

    private static List<OrchestrationRuntimeStatus>? Statuses(HttpRequest request)
    {
        var values = QueryParameters.List(request, "runtimeStatus");
        if (values.Count == 0)
        {
            return null;
        }

        var statuses = new List<OrchestrationRuntimeStatus>();
        foreach (var value in values)
        {
            statuses.Add(Enum.TryParse<OrchestrationRuntimeStatus>(value, ignoreCase: true, out var status) && Enum.IsDefined(status)
                ? status
                : throw ApiProblemException.BadRequest("invalid-runtime-status", $"runtimeStatus '{EntityRoutes.Printable(value)}' is not one of {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}."));
        }

        return statuses;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ops: a continuation token was refused by the backend ({Error})")]
    private static partial void LogBadToken(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ops: rewind of {InstanceId} is not supported by this engine ({Error})")]
    private static partial void LogRewindUnsupported(ILogger logger, string instanceId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ops: {Operation} {InstanceId}")]
    private static partial void LogOperation(ILogger logger, string operation, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "History of {InstanceId} is not available from this backend: {Reason}")]
    private static partial void LogHistoryUnavailable(ILogger logger, string instanceId, string reason);
}
