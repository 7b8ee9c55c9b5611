using System.Diagnostics;
using System.Globalization;
using EccoStudio.Engine.Tests.Support;
using EccoStudio.EngineKillHost;
using Microsoft.DurableTask.Client;
using Xunit.Abstractions;

namespace EccoStudio.Engine.Tests;

[Collection(AzuriteTestGroup.Name)]
[Trait("Backend", "Azurite")]
public sealed class AzuriteKillTests(AzuriteEngineFixture fixture, ITestOutputHelper output)
{
    private const int Instances = 12;
    private const int Steps = 3;
    private const int StepMilliseconds = 1500;

    [Fact]
    public async Task Kill9_ChildHostMidRun_EveryAcceptedInstanceCompletesInNewEngine()
    {
        var hub = AzuriteEngineFixture.NewTaskHub("kill");
        const string Worker = "kill-worker";
        var acceptedFile = Path.Combine(fixture.Azurite.Location, $"{hub}-accepted.txt");

        var steps = new List<string>();
        var scheduled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var enoughSteps = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var child = StartChild(fixture.Azurite.ConnectionString, hub, Worker, acceptedFile, line =>
        {
            if (line == "SCHEDULED")
            {
                scheduled.TrySetResult();
            }
            else if (line.StartsWith("STEP ", StringComparison.Ordinal))
            {
                lock (steps)
                {
                    steps.Add(line);
                    if (steps.Count >= 4)
                    {
                        enoughSteps.TrySetResult();
                    }
                }
            }
        });

        try
        {
            await scheduled.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await enoughSteps.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }

        int stepsBeforeKill;
        lock (steps)
        {
            stepsBeforeKill = steps.Count;
        }

        var accepted = await File.ReadAllLinesAsync(acceptedFile);
        output.WriteLine($"child killed after {stepsBeforeKill} of {Instances * Steps} activity steps; {accepted.Length} instances accepted");

        var clock = Stopwatch.StartNew();
        var options = fixture.Options(hub, Worker);
        await using var engine = await DurableEngine.StartAsync(options, SlowTasks.Register);
        var done = await Task.WhenAll(
            accepted.Select(id => engine.Client.WaitForTerminalAsync(id, TimeSpan.FromMinutes(2))));
        output.WriteLine($"recovered {done.Length} instances in {clock.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(Instances, accepted.Length);
        Assert.True(stepsBeforeKill < Instances * Steps, "the child was killed after all work was done");
        Assert.All(done, m =>
        {
            Assert.Equal(OrchestrationRuntimeStatus.Completed, m.RuntimeStatus);
            Assert.Equal(SlowStepActivity.ExpectedOutput(m.InstanceId, Steps), m.ReadOutputAs<string>());
        });
    }

    private static Process StartChild(string connectionString, string hub, string worker, string acceptedFile, Action<string> onLine)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "EccoStudio.EngineKillHost.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "exec", dll, connectionString, hub, worker,
            Instances.ToString(CultureInfo.InvariantCulture),
            Steps.ToString(CultureInfo.InvariantCulture),
            StepMilliseconds.ToString(CultureInfo.InvariantCulture),
            acceptedFile,
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
