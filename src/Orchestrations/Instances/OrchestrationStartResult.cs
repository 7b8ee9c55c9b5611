namespace EccoStudio.Orchestrations.Instances;

/// <summary>What a start request did.</summary>
/// <param name="InstanceId">The instance id asked for.</param>
/// <param name="Started">True when a new instance was created; false when one already existed and was kept.</param>
public sealed record OrchestrationStartResult(string InstanceId, bool Started)
{
    /// <summary>True when the start was refused because the instance already exists.</summary>
    public bool AlreadyExists => !Started;
}
