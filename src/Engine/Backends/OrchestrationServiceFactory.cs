using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Engine.Backends;

/// <summary>Creates (and for Azure Storage, provisions) the orchestration service the options ask for.</summary>
public static class OrchestrationServiceFactory
{
    /// <summary>
    /// Builds the backend wrapped in a <see cref="GatedOrchestrationService"/>. For Azure Storage the task hub's
    /// queues, tables and containers are created if missing.
    /// </summary>
    public static async Task<GatedOrchestrationService> CreateAsync(
        DurableEngineOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        options.Validate();
        IOrchestrationService inner = options.Backend switch
        {
            EngineBackend.InMemory => new InMemoryOrchestrationService(loggerFactory),
            EngineBackend.AzureStorage => new AzureStorageOrchestrationService(CreateAzureStorageSettings(options, loggerFactory)),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Backend, "Unknown engine backend."),
        };

        if (options.Backend == EngineBackend.AzureStorage)
        {
            await inner.CreateIfNotExistsAsync().WaitAsync(cancellationToken);
        }

        // The in-memory service keeps history but cannot read it back: the gate keeps a readable copy for clients.
        return new GatedOrchestrationService(inner, options.MaxConcurrentOrchestrations, options.MaxConcurrentActivities, options.WorkerId,
            options.Backend == EngineBackend.InMemory ? new InstanceHistoryLog() : null);
    }

    /// <summary>The Azure Storage settings that matter on Azurite (docs/platform.md, "Durable Task outside Azure").</summary>
    public static AzureStorageOrchestrationServiceSettings CreateAzureStorageSettings(
        DurableEngineOptions options, ILoggerFactory loggerFactory) => new()
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(options.ConnectionString!),
            TaskHubName = options.TaskHubName,
            WorkerId = options.WorkerId,
            // Every worker of one task hub must share the app name: the backend lets one app name at a time work a
            // task hub (its app lease), so per-worker names would leave all workers but one idle.
            AppName = options.TaskHubName,
            PartitionCount = options.PartitionCount,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
            WorkItemQueueVisibilityTimeout = options.ActivityVisibilityTimeout,
            ControlQueueVisibilityTimeout = options.OrchestrationVisibilityTimeout,
            ThrowExceptionOnInvalidDedupeStatus = true,
            LoggerFactory = loggerFactory,
        };
}
