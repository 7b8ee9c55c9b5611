namespace EccoStudio.Engine;

/// <summary>
/// Settings of the embedded Durable Task engine. Bindable from configuration (section <see cref="SectionName"/>).
/// </summary>
public sealed class DurableEngineOptions
{
    /// <summary>The configuration section these options are usually bound from.</summary>
    public const string SectionName = "DurableEngine";

    /// <summary>The orchestration service behind the sidecar.</summary>
    public EngineBackend Backend { get; set; } = EngineBackend.InMemory;

    /// <summary>Azure Storage connection string (Azurite's for local runs). Required for <see cref="EngineBackend.AzureStorage"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Task hub name: prefix of the queues, tables and containers (3–45 letters and digits).</summary>
    public string TaskHubName { get; set; } = "EccoStudio";

    /// <summary>
    /// This process's worker id: host name and process id by default, so several workers on one task hub each own
    /// their partition leases (docs/scale-out.md). A restarted process is a new worker: it takes over the dead one's
    /// partitions when their leases expire (about 30 s). Fix it to make a host's id stable across restarts.
    /// </summary>
    public string WorkerId { get; set; } = DefaultWorkerId();

    /// <summary><c>{host}-{pid}</c>: unique per process on one machine and readable in logs and lease blobs.</summary>
    public static string DefaultWorkerId() => $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>
    /// Orchestration episodes the sidecar runs at once. Keep it well above the expected burst: whenever the cap is
    /// reached the sidecar's dispatcher sleeps 500 ms (200 concurrent 3-activity orchestrations in memory: about
    /// 55/s with a cap of 100, 230–320/s with 1000).
    /// </summary>
    public int MaxConcurrentOrchestrations { get; set; } = 1000;

    /// <summary>Activities the sidecar runs at once (same 500 ms sleep when reached).</summary>
    public int MaxConcurrentActivities { get; set; } = 500;

    /// <summary>Azure Storage: longest wait between queue polls when idle (the default of 30 s delays timers).</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Azure Storage: number of control-queue partitions (1–16).</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>
    /// Azure Storage: how long a dequeued activity message stays invisible. The sidecar does not renew it, so it
    /// must exceed the longest activity; after a crash, in-flight activities run again once it has passed.
    /// </summary>
    public TimeSpan ActivityVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Azure Storage: the same for orchestration (control-queue) messages.</summary>
    public TimeSpan OrchestrationVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>On shutdown: how long to let in-flight work items finish before the worker disconnects.</summary>
    public TimeSpan ShutdownDrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Loopback port of the gRPC sidecar; 0 picks a free one.</summary>
    public int SidecarPort { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> when the options cannot work.</summary>
    public void Validate()
    {
        if (Backend == EngineBackend.AzureStorage && string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException("DurableEngine: ConnectionString is required for the AzureStorage backend.");
        }

        if (string.IsNullOrWhiteSpace(TaskHubName) || string.IsNullOrWhiteSpace(WorkerId))
        {
            throw new ArgumentException("DurableEngine: TaskHubName and WorkerId are required.");
        }

        if (MaxConcurrentOrchestrations < 1 || MaxConcurrentActivities < 1)
        {
            throw new ArgumentException("DurableEngine: concurrency limits must be at least 1.");
        }
    }
}
