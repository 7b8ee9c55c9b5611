using System.Text.Json;
using System.Text.Json.Nodes;
using DurableTask.Core.History;
using EccoStudio.Storage.Envelope;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Api.Ops;

/// <summary>Instance status in the Durable Functions HTTP API shape.</summary>
public static class InstanceJson
{
    /// <param name="metadata">The instance.</param>
    /// <param name="showInput">Include the input (else <c>input: null</c>).</param>
    /// <param name="history">History events to list (<c>showHistory=true</c>), or null.</param>
    /// <param name="showHistoryOutput">Include activity and orchestration results in the history events.</param>
    /// <param name="historyUnavailable">Why history was asked for but could not be read (then <c>historyEvents</c> is null).</param>
    public static JsonObject Status(OrchestrationMetadata metadata, bool showInput, IReadOnlyList<HistoryEvent>? history, bool showHistoryOutput,
        string? historyUnavailable = null)
    {
        var json = new JsonObject
        {
            ["name"] = metadata.Name,
            ["instanceId"] = metadata.InstanceId,
            ["runtimeStatus"] = metadata.RuntimeStatus.ToString(),
            ["input"] = showInput ? Parse(metadata.SerializedInput) : null,
            ["customStatus"] = Parse(metadata.SerializedCustomStatus),
            ["output"] = metadata.RuntimeStatus == OrchestrationRuntimeStatus.Failed && metadata.FailureDetails is { } failure
                ? new JsonObject
                {
                    ["errorType"] = failure.ErrorType,
                    ["errorMessage"] = failure.ErrorMessage,
                }
                : Parse(metadata.SerializedOutput),
            ["createdTime"] = Rfc3339.FormatSeconds(metadata.CreatedAt),
            ["lastUpdatedTime"] = Rfc3339.FormatSeconds(metadata.LastUpdatedAt),
        };
        if (history is not null)
        {
            json["historyEvents"] = History(history, showHistoryOutput);
        }
        else if (historyUnavailable is not null)
        {
            json["historyEvents"] = null;
            json["historyEventsUnavailable"] = historyUnavailable;
        }

        return json;
    }

    public static JsonArray History(IReadOnlyList<HistoryEvent> events, bool showOutput)
    {
        var array = new JsonArray();
        foreach (var e in events)
        {
            var item = new JsonObject
            {
                ["EventType"] = e.EventType.ToString(),
                ["EventId"] = e.EventId,
                ["Timestamp"] = Rfc3339.Format(new DateTimeOffset(DateTime.SpecifyKind(e.Timestamp, DateTimeKind.Utc))),
            };
            switch (e)
            {
                case ExecutionStartedEvent started:
                    item["FunctionName"] = started.Name;
                    break;
                case TaskScheduledEvent scheduled:
                    item["FunctionName"] = scheduled.Name;
                    break;
                case TaskCompletedEvent completed when showOutput:
                    item["Result"] = Parse(completed.Result);
                    break;
                case TaskFailedEvent failed:
                    item["Reason"] = failed.Reason;
                    item["Details"] = failed.FailureDetails?.ErrorMessage ?? failed.Details;
                    break;
                case ExecutionCompletedEvent done:
                    item["OrchestrationStatus"] = done.OrchestrationStatus.ToString();
                    if (showOutput)
                    {
                        item["Result"] = Parse(done.Result);
                    }

                    break;
                case EventRaisedEvent raised:
                    item["Name"] = raised.Name;
                    break;
                case SubOrchestrationInstanceCreatedEvent sub:
                    item["FunctionName"] = sub.Name;
                    item["InstanceId"] = sub.InstanceId;
                    break;
                case TimerCreatedEvent timer:
                    item["FireAt"] = Rfc3339.Format(new DateTimeOffset(DateTime.SpecifyKind(timer.FireAt, DateTimeKind.Utc)));
                    break;
                default:
                    break;
            }

            array.Add(item);
        }

        return array;
    }

    private static JsonNode? Parse(string? serialized)
    {
        if (string.IsNullOrEmpty(serialized))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(serialized);
        }
        catch (JsonException)
        {
            return serialized;
        }
    }
}
