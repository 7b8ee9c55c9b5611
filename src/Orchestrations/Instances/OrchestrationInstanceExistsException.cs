namespace EccoStudio.Orchestrations.Instances;

/// <summary>A start was refused: an instance with this id already exists (in a dedupe status).</summary>
public sealed class OrchestrationInstanceExistsException : Exception
{
    /// <summary>Creates the exception for an instance id.</summary>
    public OrchestrationInstanceExistsException(string instanceId, string orchestratorName, Exception? innerException = null)
        : base($"Orchestration instance '{instanceId}' ({orchestratorName}) already exists; the start was refused.", innerException)
    {
        InstanceId = instanceId;
        OrchestratorName = orchestratorName;
    }

    /// <summary>The refused instance id.</summary>
    public string InstanceId { get; }

    /// <summary>The orchestrator the start asked for.</summary>
    public string OrchestratorName { get; }
}
