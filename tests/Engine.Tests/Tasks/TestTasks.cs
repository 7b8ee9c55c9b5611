using System.Collections.Concurrent;
using Microsoft.DurableTask;

namespace EccoStudio.Engine.Tests.Tasks;

/// <summary>Input of <see cref="AppendStepActivity"/>.</summary>
public sealed record StepInput(string Text, int Step);

/// <summary>Input of <see cref="FlakyActivity"/>: fails its first attempts for a key, then returns the attempt number.</summary>
public sealed record FlakyInput(string Key, int FailuresBeforeSuccess, int MaxAttempts);

/// <summary>Input of <see cref="TimerOrchestrator"/>.</summary>
public sealed record TimerInput(string Text, int TimerSeconds);

/// <summary>Counts activity attempts per key (a fake shared with the tests through DI).</summary>
public sealed class AttemptCounter
{
    private readonly ConcurrentDictionary<string, int> _attempts = new();

    /// <summary>Records an attempt and returns its number (1-based).</summary>
    public int Next(string key) => _attempts.AddOrUpdate(key, 1, (_, n) => n + 1);

    /// <summary>Attempts recorded for a key.</summary>
    public int Get(string key) => _attempts.TryGetValue(key, out var n) ? n : 0;
}

/// <summary>Appends "&gt;step" to the text.</summary>
public sealed class AppendStepActivity(AttemptCounter counter) : TaskActivity<StepInput, string>
{
    /// <inheritdoc />
    public override Task<string> RunAsync(TaskActivityContext context, StepInput input)
    {
        counter.Next($"{context.InstanceId}/step{input.Step}");
        return Task.FromResult($"{input.Text}>{input.Step}");
    }
}

/// <summary>Fails with a transient error until its attempt number passes <see cref="FlakyInput.FailuresBeforeSuccess"/>.</summary>
public sealed class FlakyActivity(AttemptCounter counter) : TaskActivity<FlakyInput, int>
{
    /// <inheritdoc />
    public override Task<int> RunAsync(TaskActivityContext context, FlakyInput input)
    {
        var attempt = counter.Next(input.Key);
        return attempt <= input.FailuresBeforeSuccess
            ? throw new InvalidOperationException($"transient failure on attempt {attempt} for {input.Key}")
            : Task.FromResult(attempt);
    }
}

/// <summary>Three activities in sequence; custom status = last step done.</summary>
public sealed class ThreeStepOrchestrator : TaskOrchestrator<string, string>
{
    /// <inheritdoc />
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        var text = input;
        for (var step = 1; step <= 3; step++)
        {
            text = await context.CallActivityAsync<string>(nameof(AppendStepActivity), new StepInput(text, step));
            context.SetCustomStatus($"step {step} done");
        }

        return text;
    }
}

/// <summary>Calls <see cref="FlakyActivity"/> under a retry policy; output = the attempt that succeeded.</summary>
public sealed class RetryOrchestrator : TaskOrchestrator<FlakyInput, int>
{
    /// <inheritdoc />
    public override Task<int> RunAsync(TaskOrchestrationContext context, FlakyInput input)
    {
        var retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
            maxNumberOfAttempts: input.MaxAttempts,
            firstRetryInterval: TimeSpan.FromMilliseconds(200),
            backoffCoefficient: 1.0));
        return context.CallActivityAsync<int>(nameof(FlakyActivity), input, retry);
    }
}

/// <summary>Shows "waiting for go", waits for the "go" event, returns "input:payload".</summary>
public sealed class WaitForEventOrchestrator : TaskOrchestrator<string, string>
{
    /// <summary>The event name.</summary>
    public const string EventName = "go";

    /// <summary>Custom status while waiting.</summary>
    public const string WaitingStatus = "waiting for go";

    /// <inheritdoc />
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        context.SetCustomStatus(WaitingStatus);
        var payload = await context.WaitForExternalEvent<string>(EventName);
        context.SetCustomStatus("got go");
        return $"{input}:{payload}";
    }
}

/// <summary>Activity, durable timer, activity.</summary>
public sealed class TimerOrchestrator : TaskOrchestrator<TimerInput, string>
{
    /// <summary>Custom status while the timer runs.</summary>
    public const string TimerStatus = "timer running";

    /// <inheritdoc />
    public override async Task<string> RunAsync(TaskOrchestrationContext context, TimerInput input)
    {
        var first = await context.CallActivityAsync<string>(nameof(AppendStepActivity), new StepInput(input.Text, 1));
        context.SetCustomStatus(TimerStatus);
        await context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(input.TimerSeconds), CancellationToken.None);
        return await context.CallActivityAsync<string>(nameof(AppendStepActivity), new StepInput(first, 2));
    }
}

/// <summary>Registration of the test tasks.</summary>
public static class TestTasks
{
    /// <summary>Adds every test orchestrator and activity.</summary>
    public static void Register(DurableTaskRegistry registry)
    {
        registry.AddOrchestrator<ThreeStepOrchestrator>();
        registry.AddOrchestrator<RetryOrchestrator>();
        registry.AddOrchestrator<WaitForEventOrchestrator>();
        registry.AddOrchestrator<TimerOrchestrator>();
        registry.AddActivity<AppendStepActivity>();
        registry.AddActivity<FlakyActivity>();
    }
}
