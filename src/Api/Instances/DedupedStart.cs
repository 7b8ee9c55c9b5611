using DurableTask.Core.Exceptions;
using Grpc.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Api.Instances;

/// <summary>
/// Start with explicit dedupe statuses (every status): without them a second start with the same id silently
/// replaces the first (in-memory backend) or is silently ignored (Azure Storage backend).
/// </summary>
public static class DedupedStart
{
    private static readonly OrchestrationRuntimeStatus[] AllStatuses =
    [
        OrchestrationRuntimeStatus.Pending,
        OrchestrationRuntimeStatus.Running,
        OrchestrationRuntimeStatus.Suspended,
        OrchestrationRuntimeStatus.Completed,
        OrchestrationRuntimeStatus.Failed,
        OrchestrationRuntimeStatus.Terminated,
    ];

    /// <summary>True when a new instance was created; false when one with that id exists (in any status).</summary>
    public static async Task<bool> TryStartAsync(DurableTaskClient client, TaskName orchestrator, string instanceId, object? input, CancellationToken cancellationToken)
    {
        var options = new StartOrchestrationOptions(instanceId).WithDedupeStatuses(AllStatuses);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, options, cancellationToken);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
        {
            return false;
        }
        catch (InvalidOperationException e) when (e.InnerException is OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }
}
