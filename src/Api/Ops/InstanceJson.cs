using System.Text.Json;
using System.Text.Json.Nodes;
using DurableTask.Core;
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
            json["historyEvents"] = History(history, showHistoryOutput, showInput);
        }
        else if (historyUnavailable is not null)
        {
            json["historyEvents"] = null;
            json["historyEventsUnavailable"] = historyUnavailable;
        }

        return json;
    }

    /// <summary>
    /// History events in the Durable Functions HTTP API shape (docs/api.md, "Ops"): the orchestrator's own
    /// <c>OrchestratorStarted</c>/<c>OrchestratorCompleted</c> markers are left out, and a <c>TaskScheduled</c> (or
    /// <c>SubOrchestrationInstanceCreated</c>) that has its answer is folded into that answer, which then carries
    /// <c>FunctionName</c> and <c>ScheduledTime</c>; a scheduled task still waiting stays as <c>TaskScheduled</c> with
    /// its <c>Name</c>. <c>Result</c> only with <paramref name="showOutput"/>, <c>Input</c> only with
    /// <paramref name="showInput"/>; no <c>EventId</c>, no stack traces.
    /// </summary>
    public static JsonArray History(IReadOnlyList<HistoryEvent> events, bool showOutput, bool showInput = true)
    {
        var scheduled = new Dictionary<int, HistoryEvent>();
        var answered = new HashSet<int>();
        var subScheduled = new Dictionary<int, HistoryEvent>();
        var subAnswered = new HashSet<int>();
        foreach (var e in events)
        {
            switch (e)
            {
                case TaskScheduledEvent:
                    scheduled[e.EventId] = e;
                    break;
                case TaskCompletedEvent completed:
                    answered.Add(completed.TaskScheduledId);
                    break;
                case TaskFailedEvent failed:
                    answered.Add(failed.TaskScheduledId);
                    break;
                case SubOrchestrationInstanceCreatedEvent:
                    subScheduled[e.EventId] = e;
                    break;
                case SubOrchestrationInstanceCompletedEvent completed:
                    subAnswered.Add(completed.TaskScheduledId);
                    break;
                case SubOrchestrationInstanceFailedEvent failed:
                    subAnswered.Add(failed.TaskScheduledId);
                    break;
                default:
                    break;
            }
        }

        var array = new JsonArray();
        foreach (var e in events)
        {
            if (e is OrchestratorStartedEvent or OrchestratorCompletedEvent
                || (e is TaskScheduledEvent && answered.Contains(e.EventId))
                || (e is SubOrchestrationInstanceCreatedEvent && subAnswered.Contains(e.EventId)))
            {
                continue;
            }

            var item = new JsonObject
            {
                ["EventType"] = e.EventType.ToString(),
                ["Timestamp"] = Time(e.Timestamp),
            };
            switch (e)
            {
                case ExecutionStartedEvent started:
                    item["FunctionName"] = started.Name;
                    AddInput(item, started.Input, showInput);
                    break;
                case TaskScheduledEvent pending:
                    item["Name"] = pending.Name;
                    AddInput(item, pending.Input, showInput);
                    break;
                case TaskCompletedEvent completed:
                    Answer(item, scheduled.GetValueOrDefault(completed.TaskScheduledId), showInput);
                    if (showOutput)
                    {
                        item["Result"] = Parse(completed.Result);
                    }

                    break;
                case TaskFailedEvent failed:
                    Answer(item, scheduled.GetValueOrDefault(failed.TaskScheduledId), showInput);
                    AddFailure(item, failed.Reason, failed.Details, failed.FailureDetails);
                    break;
                case SubOrchestrationInstanceCreatedEvent pendingSub:
                    item["Name"] = pendingSub.Name;
                    item["InstanceId"] = pendingSub.InstanceId;
                    AddInput(item, pendingSub.Input, showInput);
                    break;
                case SubOrchestrationInstanceCompletedEvent completedSub:
                    Answer(item, subScheduled.GetValueOrDefault(completedSub.TaskScheduledId), showInput);
                    if (showOutput)
                    {
                        item["Result"] = Parse(completedSub.Result);
                    }

                    break;
                case SubOrchestrationInstanceFailedEvent failedSub:
                    Answer(item, subScheduled.GetValueOrDefault(failedSub.TaskScheduledId), showInput);
                    AddFailure(item, failedSub.Reason, failedSub.Details, failedSub.FailureDetails);
                    break;
                case ContinueAsNewEvent continued:
                    if (showOutput)
                    {
                        item["Result"] = Parse(continued.Result);
                    }

                    break;
                case ExecutionCompletedEvent done:
                    item["OrchestrationStatus"] = done.OrchestrationStatus.ToString();
                    if (showOutput)
                    {
                        item["Result"] = Parse(done.Result);
                    }

                    if (done.FailureDetails is { } failure)
                    {
                        item["FailureDetails"] = Failure(failure);
                    }

                    break;
                case ExecutionTerminatedEvent terminated:
                    AddInput(item, terminated.Input, showInput);
                    break;
                case ExecutionSuspendedEvent suspended:
                    item["Reason"] = suspended.Reason;
                    break;
                case ExecutionResumedEvent resumed:
                    item["Reason"] = resumed.Reason;
                    break;
                case EventRaisedEvent raised:
                    item["Name"] = raised.Name;
                    AddInput(item, raised.Input, showInput);
                    break;
                case EventSentEvent sent:
                    item["Name"] = sent.Name;
                    item["InstanceId"] = sent.InstanceId;
                    AddInput(item, sent.Input, showInput);
                    break;
                case TimerCreatedEvent timer:
                    item["FireAt"] = Time(timer.FireAt);
                    break;
                case TimerFiredEvent fired:
                    item["FireAt"] = Time(fired.FireAt);
                    break;
                default:
                    break;
            }

            array.Add(item);
        }

        return array;
    }

    // The answer to a scheduled task or sub-orchestration names what was scheduled and when.
    private static void Answer(JsonObject item, HistoryEvent? scheduled, bool showInput)
    {
        var (name, input) = scheduled switch
        {
            TaskScheduledEvent task => (task.Name, task.Input),
            SubOrchestrationInstanceCreatedEvent sub => (sub.Name, sub.Input),
            _ => (null, null),
        };
        item["FunctionName"] = name;
        item["ScheduledTime"] = scheduled is null ? null : Time(scheduled.Timestamp);
        AddInput(item, input, showInput);
    }

    // Inputs stay the serialized text the engine recorded, as the Durable extension returns them.
    private static void AddInput(JsonObject item, string? input, bool showInput)
    {
        if (showInput)
        {
            item["Input"] = input;
        }
    }

    private static void AddFailure(JsonObject item, string? reason, string? details, FailureDetails? failure)
    {
        item["Reason"] = reason ?? failure?.ErrorType;
        item["Details"] = details ?? failure?.ErrorMessage;
        if (failure is not null)
        {
            item["FailureDetails"] = Failure(failure);
        }
    }

    // Type and message only: stack traces stay in the engine's logs.
    private static JsonObject Failure(FailureDetails failure) => new()
    {
        ["ErrorType"] = failure.ErrorType,
        ["ErrorMessage"] = failure.ErrorMessage,
    };

    private static string Time(DateTime value) => Rfc3339.Format(new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)));

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
