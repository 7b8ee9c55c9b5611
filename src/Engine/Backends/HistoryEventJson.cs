using System.Runtime.CompilerServices;
using DurableTask.Core.History;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace EccoStudio.Engine.Backends;

/// <summary>
/// Reads the history an orchestration service returns as text (<c>IOrchestrationServiceClient.GetOrchestrationHistoryAsync</c>).
/// DurableTask.AzureStorage writes a JSON array of the events' data members with the numeric <c>EventType</c> and no
/// type names, so each event's class is chosen from its <c>EventType</c> and its members are filled in by name.
/// </summary>
public static class HistoryEventJson
{
    private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        DateParseHandling = DateParseHandling.DateTime,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
        MissingMemberHandling = MissingMemberHandling.Ignore,
        TypeNameHandling = TypeNameHandling.None,
    });

    /// <summary>The events, in the order the service returned them; unknown event types are skipped.</summary>
    public static IReadOnlyList<HistoryEvent> Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        var events = new List<HistoryEvent>();
        foreach (var token in JArray.Parse(json))
        {
            if (token is not JObject item || item["EventType"] is not { } typeToken || ClassOf(TypeOf(typeToken)) is not { } type)
            {
                continue;
            }

            // The event classes have no common constructor (several take arguments, some have two): start from an
            // uninitialised instance and set the data members; EventType is fixed by the class (read-only there).
            item.Remove("EventType");
            var e = (HistoryEvent)RuntimeHelpers.GetUninitializedObject(type);
            using (var reader = item.CreateReader())
            {
                Serializer.Populate(reader, e);
            }

            if (e.Timestamp.Kind != DateTimeKind.Utc)
            {
                e.Timestamp = DateTime.SpecifyKind(e.Timestamp, DateTimeKind.Utc);
            }

            events.Add(e);
        }

        return events;
    }

    private static EventType? TypeOf(JToken token) => token.Type switch
    {
        JTokenType.Integer => (EventType)token.Value<int>(),
        JTokenType.String when Enum.TryParse(token.Value<string>(), out EventType parsed) => parsed,
        _ => null,
    };

    private static Type? ClassOf(EventType? type) => type switch
    {
        EventType.ExecutionStarted => typeof(ExecutionStartedEvent),
        EventType.ExecutionCompleted => typeof(ExecutionCompletedEvent),
        EventType.ExecutionTerminated => typeof(ExecutionTerminatedEvent),
        EventType.ExecutionSuspended => typeof(ExecutionSuspendedEvent),
        EventType.ExecutionResumed => typeof(ExecutionResumedEvent),
        EventType.TaskScheduled => typeof(TaskScheduledEvent),
        EventType.TaskCompleted => typeof(TaskCompletedEvent),
        EventType.TaskFailed => typeof(TaskFailedEvent),
        EventType.SubOrchestrationInstanceCreated => typeof(SubOrchestrationInstanceCreatedEvent),
        EventType.SubOrchestrationInstanceCompleted => typeof(SubOrchestrationInstanceCompletedEvent),
        EventType.SubOrchestrationInstanceFailed => typeof(SubOrchestrationInstanceFailedEvent),
        EventType.TimerCreated => typeof(TimerCreatedEvent),
        EventType.TimerFired => typeof(TimerFiredEvent),
        EventType.OrchestratorStarted => typeof(OrchestratorStartedEvent),
        EventType.OrchestratorCompleted => typeof(OrchestratorCompletedEvent),
        EventType.EventSent => typeof(EventSentEvent),
        EventType.EventRaised => typeof(EventRaisedEvent),
        EventType.ContinueAsNew => typeof(ContinueAsNewEvent),
        EventType.GenericEvent => typeof(GenericEvent),
        EventType.HistoryState => typeof(HistoryStateEvent),
        _ => null,
    };
}
