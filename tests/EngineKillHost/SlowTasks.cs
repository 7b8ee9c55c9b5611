using Microsoft.DurableTask;

namespace EccoStudio.EngineKillHost;

/// <summary>Input of <see cref="SlowOrchestrator"/>: how many sequential steps, and how long each step's activity takes.</summary>
public sealed record SlowInput(int Steps, int StepMilliseconds);

/// <summary>Input of <see cref="SlowStepActivity"/>.</summary>
public sealed record SlowStep(string InstanceId, int Step, int Milliseconds);

/// <summary>Runs <see cref="SlowInput.Steps"/> slow activities one after another; output lists the steps done.</summary>
public sealed class SlowOrchestrator : TaskOrchestrator<SlowInput, string>
{
    /// <inheritdoc />
    public override async Task<string> RunAsync(TaskOrchestrationContext context, SlowInput input)
    {
        var done = new List<string>();
        for (var step = 1; step <= input.Steps; step++)
        {
            done.Add(await context.CallActivityAsync<string>(
                nameof(SlowStepActivity), new SlowStep(context.InstanceId, step, input.StepMilliseconds)));
            context.SetCustomStatus($"step {step} of {input.Steps}");
        }

        return string.Join(',', done);
    }
}

/// <summary>Waits, then returns "id#step". Announces each finished step on stdout for the kill test.</summary>
public sealed class SlowStepActivity : TaskActivity<SlowStep, string>
{
    /// <summary>Raised after each step finishes (the kill host prints it).</summary>
    public static event Action<SlowStep>? StepFinished;

    /// <inheritdoc />
    public override async Task<string> RunAsync(TaskActivityContext context, SlowStep input)
    {
        await Task.Delay(input.Milliseconds);
        StepFinished?.Invoke(input);
        return $"{input.InstanceId}#{input.Step}";
    }

    /// <summary>The expected output of <see cref="SlowOrchestrator"/> for an instance.</summary>
    public static string ExpectedOutput(string instanceId, int steps) =>
        string.Join(',', Enumerable.Range(1, steps).Select(step => $"{instanceId}#{step}"));
}

/// <summary>Registration shared by the kill host and the test that recovers its instances.</summary>
public static class SlowTasks
{
    /// <summary>Adds the slow orchestrator and activity.</summary>
    public static void Register(DurableTaskRegistry registry)
    {
        registry.AddOrchestrator<SlowOrchestrator>();
        registry.AddActivity<SlowStepActivity>();
    }
}
