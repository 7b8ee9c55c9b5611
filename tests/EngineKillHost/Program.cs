using System.Globalization;
using EccoStudio.Engine;
using EccoStudio.EngineKillHost;
using EccoStudio.Orchestrations.Instances;

// Usage: EccoStudio.EngineKillHost <connection-string> <task-hub> <worker-id> <count> <steps> <step-ms> <accepted-file>
// Schedules <count> SlowOrchestrator instances ("kill-0" ...) on the Azure Storage backend, writes each accepted
// instance id to <accepted-file>, prints "SCHEDULED", then "STEP <id> <n>" per finished activity, until killed.
if (args.Length != 7)
{
    await Console.Error.WriteLineAsync("usage: <connection-string> <task-hub> <worker-id> <count> <steps> <step-ms> <accepted-file>");
    return 2;
}

var count = int.Parse(args[3], CultureInfo.InvariantCulture);
var steps = int.Parse(args[4], CultureInfo.InvariantCulture);
var stepMs = int.Parse(args[5], CultureInfo.InvariantCulture);

var options = new DurableEngineOptions
{
    Backend = EngineBackend.AzureStorage,
    ConnectionString = args[0],
    TaskHubName = args[1],
    WorkerId = args[2],
    MaxConcurrentActivities = 2,
    ActivityVisibilityTimeout = TimeSpan.FromSeconds(10),
    OrchestrationVisibilityTimeout = TimeSpan.FromSeconds(10),
};

object gate = new();
SlowStepActivity.StepFinished += step =>
{
    lock (gate)
    {
        Console.WriteLine($"STEP {step.InstanceId} {step.Step}");
    }
};

await using var engine = await DurableEngine.StartAsync(options, SlowTasks.Register);
await using (var accepted = new StreamWriter(args[6], append: false) { AutoFlush = true })
{
    for (var i = 0; i < count; i++)
    {
        var result = await engine.Client.TryStartOrchestrationAsync(
            nameof(SlowOrchestrator), $"kill-{i}", new SlowInput(steps, stepMs));
        if (result.Started)
        {
            await accepted.WriteLineAsync(result.InstanceId);
        }
    }
}

lock (gate)
{
    Console.WriteLine("SCHEDULED");
}

await Task.Delay(Timeout.Infinite);
return 0;
