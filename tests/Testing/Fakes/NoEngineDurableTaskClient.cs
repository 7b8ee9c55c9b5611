using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Testing.Fakes;

/// <summary>
/// A Durable client for code under test that must reach the engine only through its scheduler: it knows no instances
/// (lookups answer null, as for an unknown id) and every other call fails the test. Not bound by the Durable
/// extension, so it has no webhook base URL either.
/// </summary>
public sealed class NoEngineDurableTaskClient() : DurableTaskClient("no-engine")
{
    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Task.FromResult<OrchestrationMetadata?>(null);

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => throw Unused();

    public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        throw Unused();

    public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        throw Unused();

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
        throw Unused();

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null,
        CancellationToken cancellation = default) => throw Unused();

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw Unused();

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw Unused();

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        throw Unused();

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        throw Unused();

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static InvalidOperationException Unused() => new("The code under test must reach the engine only through its scheduler.");
}
