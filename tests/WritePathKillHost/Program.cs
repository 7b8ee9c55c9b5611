using System.Globalization;
using EccoStudio.Engine;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.Composition;
using Microsoft.Extensions.DependencyInjection;

// Usage: EccoStudio.WritePathKillHost <connection-string> <task-hub> <worker-id> <gcs-endpoint> <bucket> <schemas-folder> <count> <accepted-file>
// Starts <count> WriteEntityOrchestrator instances ("kill-write-0" ...; venture V-K0 ...) on the Azure Storage backend,
// writes each accepted instance id to <accepted-file>, prints "SCHEDULED", then waits to be killed.
if (args.Length != 8)
{
    await Console.Error.WriteLineAsync("usage: <connection-string> <task-hub> <worker-id> <gcs-endpoint> <bucket> <schemas-folder> <count> <accepted-file>");
    return 2;
}

var count = int.Parse(args[6], CultureInfo.InvariantCulture);
var options = new WritePathOptions
{
    Retry = new() { MaxAttempts = 10, FirstRetryInterval = TimeSpan.FromMilliseconds(200), MaxRetryInterval = TimeSpan.FromSeconds(2) },
};
var engineOptions = new DurableEngineOptions
{
    Backend = EngineBackend.AzureStorage,
    ConnectionString = args[0],
    TaskHubName = args[1],
    WorkerId = args[2],
    PartitionCount = 2,
    MaxConcurrentActivities = 2,
    ActivityVisibilityTimeout = TimeSpan.FromSeconds(10),
    OrchestrationVisibilityTimeout = TimeSpan.FromSeconds(10),
};

await using var engine = await DurableEngine.StartAsync(engineOptions, r => WritePathTasks.Register(r, options), s => s.AddEccoStorage(o =>
{
    o.EmulatorHost = args[3];
    o.Bucket = args[4];
    o.SchemaSource = EccoStorageOptions.FolderSchemaSourceName;
    o.SchemasFolder = args[5];
}).AddEccoWritePath(options));
await using (var accepted = new StreamWriter(args[7], append: false) { AutoFlush = true })
{
    for (var i = 0; i < count; i++)
    {
        var id = $"V-K{i}";
        var document = $$$"""
            {"id":"{{{id}}}","entity":"venture","env":"dev","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z","updated_at":"2025-11-06T10:00:00Z","lead":"Bob","status":"Pilot"}
            """;
        var instanceId = $"kill-write-{i}";
        var input = await WriteStaging.StageAsync(engine.Services.GetRequiredService<StorageContext>(), new WriteEntityInput("dev", "venture", id, document), instanceId);
        var result = await engine.Client.TryStartOrchestrationAsync(nameof(WriteEntityOrchestrator), instanceId, input);
        if (result.Started)
        {
            await accepted.WriteLineAsync(result.InstanceId);
        }
    }
}

Console.WriteLine("SCHEDULED");
await Task.Delay(Timeout.Infinite);
return 0;
