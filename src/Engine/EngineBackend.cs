namespace EccoStudio.Engine;

/// <summary>Which DurableTask.Core orchestration service sits behind the gRPC sidecar.</summary>
public enum EngineBackend
{
    /// <summary>The in-memory service of Microsoft.DurableTask.InProcessTestHost: fast, nothing survives the process.</summary>
    InMemory,

    /// <summary>DurableTask.AzureStorage (queues, tables, blobs), e.g. on Azurite: instances survive restarts and kill -9.</summary>
    AzureStorage,
}
