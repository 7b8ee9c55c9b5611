using System.Collections.Concurrent;
using DurableTask.Core;
using DurableTask.Core.History;

namespace EccoStudio.Engine.Backends;

/// <summary>
/// The history of each instance's current execution, kept for a backend that stores history but cannot read it back
/// (the in-memory service: <c>GetOrchestrationHistoryAsync</c> is not implemented). Filled from every completed
/// orchestration episode, whose runtime state holds the whole execution's events; a new execution
/// (ContinueAsNew, or a purged id started again) replaces the old one, as the backend itself does.
/// </summary>
public sealed class InstanceHistoryLog
{
    private readonly ConcurrentDictionary<string, Execution> _executions = new(StringComparer.Ordinal);

    /// <summary>Keeps the events of the episode just completed (a copy: the runtime state is not ours).</summary>
    public void Record(OrchestrationRuntimeState state)
    {
        if (state.OrchestrationInstance is not { InstanceId: { Length: > 0 } instanceId } instance)
        {
            return;
        }

        HistoryEvent[] events = [.. state.Events];
        _executions[instanceId] = new Execution(instance.ExecutionId, events);
    }

    /// <summary>
    /// The recorded events of <paramref name="executionId"/> (null: the latest recorded execution), or empty when
    /// that execution has not completed an episode yet.
    /// </summary>
    public IReadOnlyList<HistoryEvent> Get(string instanceId, string? executionId) =>
        _executions.TryGetValue(instanceId, out var execution) && (executionId is null || execution.ExecutionId == executionId)
            ? execution.Events
            : [];

    /// <summary>Drops an instance's history (it was purged).</summary>
    public void Forget(string instanceId) => _executions.TryRemove(instanceId, out _);

    /// <summary>Drops everything (the backend's store was deleted).</summary>
    public void Clear() => _executions.Clear();

    private sealed record Execution(string? ExecutionId, IReadOnlyList<HistoryEvent> Events);
}
