using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using EccoStudio.Engine.Telemetry;

namespace EccoStudio.Engine.Backends;

/// <summary>
/// Decorator over any DurableTask.Core orchestration service, placed between it and the gRPC sidecar.
/// <list type="bullet">
/// <item>Reports the configured concurrency caps. The in-memory service reports <c>Environment.ProcessorCount</c>,
/// and the sidecar's dispatcher sleeps 500 ms every time that cap is reached, which stalls any real load.</item>
/// <item>Counts work items in flight and can stop handing out new ones, so a shutdown can let running
/// episodes and activities finish before the worker disconnects (<see cref="DrainAsync"/>).</item>
/// <item>Forwards the optional query and purge client interfaces the sidecar looks for.</item>
/// <item>Counts each completed work item under this process's worker id (<see cref="EngineTelemetry"/>).</item>
/// <item>Reads an instance's history for clients (<see cref="GetHistoryEventsAsync"/>): from the backend's store when it
/// can read history back (Azure Storage), else from an <see cref="InstanceHistoryLog"/> filled as episodes complete
/// (the in-memory service stores history but has no API to read it).</item>
/// </list>
/// </summary>
public sealed class GatedOrchestrationService(
    IOrchestrationService inner,
    int maxConcurrentOrchestrations,
    int maxConcurrentActivities,
    string workerId = "",
    InstanceHistoryLog? historyLog = null)
    : IOrchestrationService, IOrchestrationServiceClient, IOrchestrationServiceQueryClient, IOrchestrationServicePurgeClient, IDisposable
{
    private readonly IOrchestrationServiceClient _innerClient = inner as IOrchestrationServiceClient
        ?? throw new ArgumentException("The orchestration service must also implement IOrchestrationServiceClient.", nameof(inner));

    private readonly CancellationTokenSource _drain = new();
    private readonly Lock _stopLock = new();
    private Task? _stopTask;
    private int _inFlight;

    /// <summary>The decorated service.</summary>
    public IOrchestrationService Inner => inner;

    /// <summary>Work items handed out and not yet completed, abandoned or released.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>True once <see cref="DrainAsync"/> has been called: no new work items are handed out.</summary>
    public bool IsDraining => _drain.IsCancellationRequested;

    /// <inheritdoc />
    public int MaxConcurrentTaskOrchestrationWorkItems => maxConcurrentOrchestrations;

    /// <inheritdoc />
    public int MaxConcurrentTaskActivityWorkItems => maxConcurrentActivities;

    /// <inheritdoc />
    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    /// <inheritdoc />
    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    /// <inheritdoc />
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    /// <summary>
    /// Stops handing out work items and waits until those in flight are finished, or until <paramref name="timeout"/>.
    /// Returns the number still in flight (0 = drained).
    /// </summary>
    public async Task<int> DrainAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await _drain.CancelAsync();
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        try
        {
            while (InFlight > 0)
            {
                await Task.Delay(50, timeoutCts.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // timed out: report what is left
        }

        return InFlight;
    }

    /// <inheritdoc />
    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        using var linked = await WaitUnlessDrainingAsync(cancellationToken);
        var item = await inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, linked.Token);
        if (item is not null)
        {
            Interlocked.Increment(ref _inFlight);
        }

        return item!;
    }

    /// <inheritdoc />
    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        using var linked = await WaitUnlessDrainingAsync(cancellationToken);
        var item = await inner.LockNextTaskActivityWorkItem(receiveTimeout, linked.Token);
        if (item is not null)
        {
            Interlocked.Increment(ref _inFlight);
        }

        return item!;
    }

    // While draining, a fetch parks until the dispatcher is cancelled (returning null would make it spin).
    private async Task<CancellationTokenSource> WaitUnlessDrainingAsync(CancellationToken cancellationToken)
    {
        if (IsDraining)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _drain.Token);
    }

    /// <inheritdoc />
    public async Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        // Before the backend commits the episode: a client that sees the new status must also see its events. (A
        // commit that fails leaves the episode to be redone, and the redo records again.)
        historyLog?.Record(newOrchestrationRuntimeState);
        var completed = inner.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
        EngineTelemetry.Completed(workerId, "orchestration", newOrchestrationRuntimeState?.Name ?? workItem.OrchestrationRuntimeState?.Name);
        await completed;
    }

    /// <summary>
    /// The events of an instance's execution (<paramref name="executionId"/> null: the current one), oldest first, or
    /// null when there is no such instance. An instance created but not yet run has no events.
    /// </summary>
    public async Task<IReadOnlyList<HistoryEvent>?> GetHistoryEventsAsync(string instanceId, string? executionId, CancellationToken cancellationToken = default)
    {
        var state = await _innerClient.GetOrchestrationStateAsync(instanceId, executionId!).WaitAsync(cancellationToken);
        if (state?.OrchestrationInstance is null)
        {
            historyLog?.Forget(instanceId);
            return null;
        }

        var execution = executionId ?? state.OrchestrationInstance.ExecutionId;
        if (historyLog is not null)
        {
            return historyLog.Get(instanceId, execution);
        }

        var json = await _innerClient.GetOrchestrationHistoryAsync(instanceId, execution!).WaitAsync(cancellationToken);
        return HistoryEventJson.Parse(json);
    }

    /// <inheritdoc />
    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) =>
        inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    /// <inheritdoc />
    public async Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        try
        {
            await inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <inheritdoc />
    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) =>
        inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    /// <inheritdoc />
    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        try
        {
            await inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
            EngineTelemetry.Completed(workerId, "activity", (workItem.TaskMessage?.Event as DurableTask.Core.History.TaskScheduledEvent)?.Name);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <inheritdoc />
    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        try
        {
            await inner.AbandonTaskActivityWorkItemAsync(workItem);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <inheritdoc />
    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) =>
        inner.RenewTaskActivityWorkItemLockAsync(workItem);

    /// <inheritdoc />
    public Task StartAsync() => inner.StartAsync();

    /// <summary>The error the backend raised while stopping, if any (stopping never throws).</summary>
    public Exception? StopError { get; private set; }

    /// <inheritdoc />
    public Task StopAsync() => StopAsync(isForced: false);

    /// <summary>
    /// Stops the backend once: both the sidecar (from a fire-and-forget callback, where an exception would crash
    /// the process) and the engine's shutdown call this, and DurableTask.AzureStorage fails on a second stop.
    /// </summary>
    public Task StopAsync(bool isForced)
    {
        lock (_stopLock)
        {
            return _stopTask ??= StopOnceAsync(isForced);
        }
    }

    private async Task StopOnceAsync(bool isForced)
    {
        try
        {
            await inner.StopAsync(isForced);
        }
        catch (Exception ex)
        {
            StopError = ex;
        }
    }

    /// <inheritdoc />
    public Task CreateAsync() => inner.CreateAsync();

    /// <inheritdoc />
    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    /// <inheritdoc />
    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    /// <inheritdoc />
    public async Task DeleteAsync()
    {
        await inner.DeleteAsync();
        historyLog?.Clear();
    }

    /// <inheritdoc />
    public async Task DeleteAsync(bool deleteInstanceStore)
    {
        await inner.DeleteAsync(deleteInstanceStore);
        historyLog?.Clear();
    }

    /// <inheritdoc />
    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    /// <inheritdoc />
    public int GetDelayInSecondsAfterOnProcessException(Exception exception) =>
        inner.GetDelayInSecondsAfterOnProcessException(exception);

    /// <inheritdoc />
    public int GetDelayInSecondsAfterOnFetchException(Exception exception) =>
        inner.GetDelayInSecondsAfterOnFetchException(exception);

    /// <inheritdoc />
    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage) =>
        _innerClient.CreateTaskOrchestrationAsync(creationMessage);

    /// <inheritdoc />
    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[] dedupeStatuses) =>
        _innerClient.CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses);

    /// <inheritdoc />
    public Task SendTaskOrchestrationMessageAsync(TaskMessage message) =>
        _innerClient.SendTaskOrchestrationMessageAsync(message);

    /// <inheritdoc />
    public Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages) =>
        _innerClient.SendTaskOrchestrationMessageBatchAsync(messages);

    /// <inheritdoc />
    public Task<OrchestrationState> WaitForOrchestrationAsync(string instanceId, string executionId, TimeSpan timeout, CancellationToken cancellationToken) =>
        _innerClient.WaitForOrchestrationAsync(instanceId, executionId, timeout, cancellationToken);

    /// <inheritdoc />
    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) =>
        _innerClient.ForceTerminateTaskOrchestrationAsync(instanceId, reason);

    /// <inheritdoc />
    public Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions) =>
        _innerClient.GetOrchestrationStateAsync(instanceId, allExecutions);

    /// <inheritdoc />
    public Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId) =>
        _innerClient.GetOrchestrationStateAsync(instanceId, executionId);

    /// <inheritdoc />
    public Task<string> GetOrchestrationHistoryAsync(string instanceId, string executionId) =>
        _innerClient.GetOrchestrationHistoryAsync(instanceId, executionId);

    /// <inheritdoc />
    public Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc, OrchestrationStateTimeRangeFilterType timeRangeFilterType) =>
        _innerClient.PurgeOrchestrationHistoryAsync(thresholdDateTimeUtc, timeRangeFilterType);

    /// <inheritdoc />
    public Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query, CancellationToken cancellationToken) =>
        inner is IOrchestrationServiceQueryClient query1
            ? query1.GetOrchestrationWithQueryAsync(query, cancellationToken)
            : throw new NotSupportedException($"{inner.GetType().Name} does not support instance queries.");

    /// <inheritdoc />
    public async Task<PurgeResult> PurgeInstanceStateAsync(string instanceId)
    {
        var result = inner is IOrchestrationServicePurgeClient purge
            ? await purge.PurgeInstanceStateAsync(instanceId)
            : throw new NotSupportedException($"{inner.GetType().Name} does not support purging instances.");
        historyLog?.Forget(instanceId);
        return result;
    }

    /// <inheritdoc />
    public Task<PurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter) =>
        inner is IOrchestrationServicePurgeClient purge
            ? purge.PurgeInstanceStateAsync(purgeInstanceFilter)
            : throw new NotSupportedException($"{inner.GetType().Name} does not support purging instances.");

    /// <inheritdoc />
    public void Dispose() => _drain.Dispose();
}
