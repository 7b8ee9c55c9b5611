using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Engine;
using EccoStudio.Orchestrations.Batches;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Rules;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using EccoStudio.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Orchestrations.Tests.Support;

/// <summary>
/// The real write path on a real engine (in-memory by default) against the in-process GCS emulator, on a bucket of
/// its own. Short retry delays so failure paths run in seconds.
/// </summary>
public sealed class WritePathHarness : IAsyncDisposable
{
    private static int s_counter;

    private WritePathHarness(DurableEngine engine, string bucket)
    {
        Engine = engine;
        Bucket = bucket;
    }

    public DurableEngine Engine { get; }

    public DurableTaskClient Client => Engine.Client;

    public string Bucket { get; }

    public StorageContext Storage => Engine.Services.GetRequiredService<StorageContext>();

    public IObjectStore Store => Storage.Store;

    public static async Task<WritePathHarness> StartAsync(
        GcsEmulatorFixture emulator,
        ActivityDecorator? decorate = null,
        Action<WritePathOptions>? configure = null,
        DurableEngineOptions? engineOptions = null,
        string? bucket = null,
        StoreFaults? faults = null,
        Action<WebhookOptions>? webhooks = null,
        Action<EccoStorageOptions>? storage = null)
    {
        var client = emulator.CreateClient();
        if (bucket is null)
        {
            bucket = emulator.NewBucketName("wp");
            await client.CreateBucketAsync(emulator.ProjectId, bucket);
        }

        var store = new ObjectStoreOptions { MaxRetryAttempts = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(10), RetryMaxDelay = TimeSpan.FromMilliseconds(50) };
        var options = new WritePathOptions
        {
            Retry = new() { MaxAttempts = 6, FirstRetryInterval = TimeSpan.FromMilliseconds(100), BackoffCoefficient = 2, MaxRetryInterval = TimeSpan.FromSeconds(1) },
            Alerts = new() { MaxPostAttempts = 2, RetryDelay = TimeSpan.FromMilliseconds(20), RequestTimeout = TimeSpan.FromSeconds(5) },
        };
        configure?.Invoke(options);
        var engine = await DurableEngine.StartAsync(
            engineOptions ?? new DurableEngineOptions { Backend = EngineBackend.InMemory },
            registry => WritePathTasks.Register(registry, options, decorate),
            services =>
            {
                services.AddSingleton(client);
                if (faults is not null)
                {
                    services.AddSingleton<IObjectStore>(sp => faults.Wrap(new GcsObjectStore(client, store, new StorageOperationCounter(),
                        Microsoft.Extensions.Logging.Abstractions.NullLogger<GcsObjectStore>.Instance)));
                }

                services.AddEccoStorage(o =>
                {
                    o.Bucket = bucket;
                    o.Store = store;
                    o.SchemaSource = EccoStorageOptions.FolderSchemaSourceName;
                    o.SchemasFolder = FolderSchemaSource.FindRepoSchemas();
                    storage?.Invoke(o);
                }, webhooks);
                services.AddEccoWritePath(options);
            });
        return new WritePathHarness(engine, bucket);
    }

    public static string NewInstanceId(string prefix) => $"{prefix}-{Interlocked.Increment(ref s_counter)}-{Guid.NewGuid():N}";

    /// <summary>Starts a write (explicit dedupe) and waits for it to end.</summary>
    public async Task<OrchestrationMetadata> WriteAsync(WriteEntityInput input, string? instanceId = null)
    {
        var id = await StartAsync(nameof(WriteEntityOrchestrator), input, instanceId ?? NewInstanceId("write"));
        return await WaitAsync(id);
    }

    /// <summary>Starts an orchestration; a write's (or a batch's) documents are staged first, as the API does (claim check).</summary>
    public async Task<string> StartAsync(string orchestrator, object input, string instanceId) =>
        await Client.StartOrchestrationAsync(new TaskName(orchestrator), instanceId, await StageAsync(input, instanceId), StartDedupe.RefuseIfExists);

    private async Task<object> StageAsync(object input, string instanceId) => input switch
    {
        WriteEntityInput { Document: not null } write => await WriteStaging.StageAsync(Storage, write, instanceId),
        BatchWriteInput batch => await WriteStaging.StageAsync(Storage, batch, instanceId),
        _ => input,
    };

    /// <summary>Polls the instance (WaitForInstanceCompletionAsync polls every ~2 s on Azure Storage); the guard only stops a hang.</summary>
    public async Task<OrchestrationMetadata> WaitAsync(string instanceId, TimeSpan? guard = null)
    {
        var deadline = DateTime.UtcNow + (guard ?? TimeSpan.FromMinutes(3));
        OrchestrationMetadata? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            if (last is { IsCompleted: true })
            {
                return last;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{instanceId} did not finish; last status {last?.RuntimeStatus}, custom status {last?.SerializedCustomStatus}.");
    }

    public async Task<List<string>> ListAsync(string prefix = "") =>
        (await Store.ListAllAsync(Bucket, prefix)).Select(o => o.Name).Order(StringComparer.Ordinal).ToList();

    public async Task<string?> ReadTextAsync(string name)
    {
        var stored = await Store.GetAsync(Bucket, name);
        return stored is null ? null : Encoding.UTF8.GetString(stored.Content.Span);
    }

    public async Task<StoredObject> ReadAsync(string name) =>
        await Store.GetAsync(Bucket, name) ?? throw new InvalidOperationException($"{name} is missing.");

    /// <summary>Every object under <paramref name="prefix"/> with its bytes (and, for snapshots, the last-applied metadata).</summary>
    public async Task<SortedDictionary<string, string>> DumpAsync(string prefix)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in await ListAsync(prefix))
        {
            var stored = await ReadAsync(name);
            stored.Info.Metadata.TryGetValue(StorageContext.LastAppliedMetadataKey, out var last);
            result[name] = Encoding.UTF8.GetString(stored.Content.Span) + (last is null ? string.Empty : " @" + last);
        }

        return result;
    }

    public async ValueTask DisposeAsync() => await Engine.DisposeAsync();
}

/// <summary>Test documents.</summary>
public static class Docs
{
    public static string Venture(string id, string updatedAt, string status = "Pilot", string lead = "Bob", string env = "dev") =>
        $$$"""
        {"id":"{{{id}}}","entity":"venture","env":"{{{env}}}","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z","updated_at":"{{{updatedAt}}}","lead":"{{{lead}}}","status":"{{{status}}}","milestones":[{"milestoneId":"M1","title":"Build MVP","dueDate":"2026-02-01","status":"InProgress"}],"kpis":{"MRR":12000,"churnRate":0.02}}
        """;

    public static string VenturePatch(string id, string updatedAt, JsonObject changes, string env = "dev")
    {
        var patch = new JsonObject { ["id"] = id, ["entity"] = "venture", ["env"] = env, ["updated_at"] = updatedAt };
        foreach (var (key, value) in changes)
        {
            patch[key] = value?.DeepClone();
        }

        return JsonText.ToText(patch);
    }

    public static string Idea(string id, string updatedAt, string env = "dev") =>
        $$"""
        {"id":"{{id}}","entity":"idea","env":"{{env}}","schema_version":"1.0.0","created_at":"2025-11-05T14:32:00Z","updated_at":"{{updatedAt}}","title":"Idea {{id}}","status":"Under Review"}
        """;

    public static string ExamplesFolder => Path.Combine(AppContext.BaseDirectory, "Examples");
}
