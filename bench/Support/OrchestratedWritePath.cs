using EccoStudio.Engine;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Writes;
using EccoStudio.Storage.Store;
using Google.Cloud.Storage.V1;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Bench.Support;

/// <summary>
/// The durable write path (<see cref="WriteEntityOrchestrator"/> and its activities, composed by
/// <c>AddEccoWritePath</c>) on an engine of its own, against a bucket of the given emulator.
/// </summary>
public sealed class OrchestratedWritePath : IAsyncDisposable
{
    private static long s_instances;

    private OrchestratedWritePath(DurableEngine engine, IStorageOperationCounter counter)
    {
        Engine = engine;
        Counter = counter;
    }

    public DurableEngine Engine { get; }

    public DurableTaskClient Client => Engine.Client;

    public IStorageOperationCounter Counter { get; }

    public static async Task<OrchestratedWritePath> StartAsync(StorageClient client, string bucket, DurableEngineOptions? engine = null, ActivityDecorator? decorate = null)
    {
        var counter = new StorageOperationCounter();
        var options = new WritePathOptions();
        var started = await DurableEngine.StartAsync(
            engine ?? new DurableEngineOptions { Backend = EngineBackend.InMemory },
            registry => WritePathTasks.Register(registry, options, decorate),
            services =>
            {
                services.AddSingleton(client);
                services.AddSingleton<IStorageOperationCounter>(counter);
                services.AddEccoStorage(o => DirectStorage.Configure(o, bucket));
                services.AddEccoWritePath(options);
            });
        return new OrchestratedWritePath(started, counter);
    }

    /// <summary>One write, start to completion; throws unless it completed.</summary>
    /// <param name="validated">As the PUT handler starts it (validated before staging, so no validate step); false: as
    /// batch items and tools start it (staged only; the write validates).</param>
    public async Task WriteAsync(string id, string document, ChangeKind change = ChangeKind.Full, bool validated = true)
    {
        var instanceId = $"bench-{Interlocked.Increment(ref s_instances)}-{id}";
        // Validated and staged as the API's PUT/PATCH handler does (claim check): the validation and the staging put are
        // part of what a write costs; a full document validated here skips the validate step (WriteEntityInput.Validated).
        var storage = Engine.Services.GetRequiredService<StorageContext>();
        var body = JsonText.ParseObject(document);
        var prepared = await new ChangeValidator(storage).PrepareAsync(Ventures.Target(id), body, Ulid.NewUlid(), change);
        var (staged, updatedAt) = await WriteStaging.StageAsync(storage, Ventures.Env, body, change, instanceId);
        var input = new WriteEntityInput(Ventures.Env, "venture", id, null, change)
        {
            Staged = staged,
            UpdatedAt = updatedAt,
            Validated = validated && WriteStaging.StagedAsValidated(prepared, staged, updatedAt),
        };
        await Client.StartOrchestrationAsync(new TaskName(nameof(WriteEntityOrchestrator)), instanceId, input);
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var done = await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, guard.Token);
        if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            throw new InvalidOperationException($"Write {instanceId} ended {done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}");
        }
    }

    public async ValueTask DisposeAsync() => await Engine.DisposeAsync();
}
