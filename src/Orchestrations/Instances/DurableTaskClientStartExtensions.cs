using DurableTask.Core.Exceptions;
using Grpc.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Orchestrations.Instances;

/// <summary>
/// The one way instances are started, by both hosts, the commands and the tests: with explicit dedupe statuses.
/// Without them a second start with the same id silently replaces the first (in-memory backend) or is silently
/// ignored (Azure Storage backend). A refused start is reported however the client surfaces it (the backend's
/// exception, the sidecar's gRPC <c>AlreadyExists</c>, or either wrapped by a client).
/// </summary>
public static class DurableTaskClientStartExtensions
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

    private static readonly OrchestrationRuntimeStatus[] ActiveOrCompleted =
    [
        OrchestrationRuntimeStatus.Pending,
        OrchestrationRuntimeStatus.Running,
        OrchestrationRuntimeStatus.Suspended,
        OrchestrationRuntimeStatus.Completed,
    ];

    /// <summary>The dedupe statuses sent for a <see cref="StartDedupe"/> choice.</summary>
    public static IReadOnlyList<OrchestrationRuntimeStatus> DedupeStatusesFor(StartDedupe dedupe) => dedupe switch
    {
        StartDedupe.RefuseIfExists => AllStatuses,
        StartDedupe.RefuseUnlessFailedOrTerminated => ActiveOrCompleted,
        _ => throw new ArgumentOutOfRangeException(nameof(dedupe), dedupe, "Unknown dedupe choice."),
    };

    /// <summary>
    /// Starts <paramref name="orchestrator"/> as <paramref name="instanceId"/> unless an instance with that id
    /// exists in one of the dedupe statuses; then returns a result with <see cref="OrchestrationStartResult.Started"/> false.
    /// </summary>
    public static async Task<OrchestrationStartResult> TryStartOrchestrationAsync(
        this DurableTaskClient client,
        TaskName orchestrator,
        string instanceId,
        object? input = null,
        StartDedupe dedupe = StartDedupe.RefuseIfExists,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var options = new StartOrchestrationOptions(instanceId)
            .WithDedupeStatuses([.. DedupeStatusesFor(dedupe)]);
        try
        {
            var id = await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, options, cancellationToken);
            return new OrchestrationStartResult(id, Started: true);
        }
        catch (Exception ex) when (IsAlreadyExists(ex))
        {
            return new OrchestrationStartResult(instanceId, Started: false);
        }
    }

    /// <summary>
    /// Like <see cref="TryStartOrchestrationAsync"/>, but a refused start throws
    /// <see cref="OrchestrationInstanceExistsException"/>.
    /// </summary>
    public static async Task<string> StartOrchestrationAsync(
        this DurableTaskClient client,
        TaskName orchestrator,
        string instanceId,
        object? input = null,
        StartDedupe dedupe = StartDedupe.RefuseIfExists,
        CancellationToken cancellationToken = default)
    {
        var result = await client.TryStartOrchestrationAsync(orchestrator, instanceId, input, dedupe, cancellationToken);
        return result.Started ? result.InstanceId : throw new OrchestrationInstanceExistsException(instanceId, orchestrator.Name);
    }

    private static bool IsAlreadyExists(Exception ex) => ex switch
    {
        OrchestrationAlreadyExistsException => true,
        RpcException { StatusCode: StatusCode.AlreadyExists } => true,
        InvalidOperationException { InnerException: { } inner } => IsAlreadyExists(inner),
        _ => false,
    };
}
