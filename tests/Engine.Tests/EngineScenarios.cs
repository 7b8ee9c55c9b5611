using System.Diagnostics;
using System.Text.Json;
using DurableTask.Core.History;
using EccoStudio.Engine.Tests.Support;
using EccoStudio.Engine.Tests.Tasks;
using EccoStudio.Orchestrations.Instances;
using Microsoft.DurableTask.Client;
using Xunit.Abstractions;
using OrchestrationStatus = DurableTask.Core.OrchestrationStatus;

namespace EccoStudio.Engine.Tests;

/// <summary>Scenarios every backend must pass; subclasses supply a running engine.</summary>
public abstract class EngineScenarios(ITestOutputHelper output)
{
    /// <summary>The engine under test.</summary>
    protected abstract DurableEngine Engine { get; }

    /// <summary>The attempt counter the engine's activities use.</summary>
    protected abstract AttemptCounter Attempts { get; }

    /// <summary>Output for reported figures.</summary>
    protected ITestOutputHelper Output => output;

    /// <summary>A unique instance id.</summary>
    protected static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public async Task ThreeActivities_Run_CompletesWithEveryStepInOrder()
    {
        var id = NewId("three");
        await Engine.Client.StartOrchestrationAsync(nameof(ThreeStepOrchestrator), id, "x");

        var done = await Engine.Client.WaitForTerminalAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("x>1>2>3", done.ReadOutputAs<string>());
        Assert.Equal("step 3 done", done.ReadCustomStatusAs<string>());
        Assert.All(new[] { 1, 2, 3 }, step => Assert.Equal(1, Attempts.Get($"{id}/step{step}")));
    }

    [Fact]
    public async Task GetOrchestrationHistory_CompletedInstance_StreamsStartedEachTaskAndCompleted()
    {
        var id = NewId("history");
        await Engine.Client.StartOrchestrationAsync(nameof(ThreeStepOrchestrator), id, "x");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await Engine.Client.WaitForTerminalAsync(id)).RuntimeStatus);

        var all = await Engine.Client.GetOrchestrationHistoryAsync(id);

        // Each episode is framed by OrchestratorStarted/OrchestratorCompleted markers; between them, the execution.
        Assert.IsType<OrchestratorStartedEvent>(all[0]);
        var events = all.Where(e => e is not (OrchestratorStartedEvent or OrchestratorCompletedEvent)).ToList();
        var started = Assert.IsType<ExecutionStartedEvent>(events[0]);
        Assert.Equal(nameof(ThreeStepOrchestrator), started.Name);
        Assert.Equal("\"x\"", started.Input);
        var completed = Assert.IsType<ExecutionCompletedEvent>(events[^1]);
        Assert.Equal(OrchestrationStatus.Completed, completed.OrchestrationStatus);
        Assert.Equal("x>1>2>3", JsonSerializer.Deserialize<string>(completed.Result!));
        var scheduled = events.OfType<TaskScheduledEvent>().ToList();
        Assert.Equal(3, scheduled.Count);
        Assert.All(scheduled, s => Assert.Equal(nameof(AppendStepActivity), s.Name));
        var answers = events.OfType<TaskCompletedEvent>().ToList();
        Assert.Equal(scheduled.Select(s => s.EventId), answers.Select(a => a.TaskScheduledId));
        Assert.Equal(["x>1", "x>1>2", "x>1>2>3"], answers.Select(a => JsonSerializer.Deserialize<string>(a.Result)));
        Assert.All(all, e => Assert.Equal(DateTimeKind.Utc, e.Timestamp.Kind));
        Assert.True(completed.Timestamp >= started.Timestamp, $"completed {completed.Timestamp:O} before started {started.Timestamp:O}");

        await Assert.ThrowsAsync<ArgumentException>(() => Engine.Client.GetOrchestrationHistoryAsync(NewId("missing")));
    }

    [Fact]
    public async Task RetryPolicy_ActivityFailsTwice_RetriesThenSucceeds()
    {
        var id = NewId("retry");
        await Engine.Client.StartOrchestrationAsync(nameof(RetryOrchestrator), id, new FlakyInput(id, FailuresBeforeSuccess: 2, MaxAttempts: 4));

        var done = await Engine.Client.WaitForTerminalAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(3, done.ReadOutputAs<int>());
        Assert.Equal(3, Attempts.Get(id));
    }

    [Fact]
    public async Task RetryPolicy_AttemptsExhausted_FailsWithActivityError()
    {
        var id = NewId("retry-fail");
        await Engine.Client.StartOrchestrationAsync(nameof(RetryOrchestrator), id, new FlakyInput(id, FailuresBeforeSuccess: 10, MaxAttempts: 2));

        var done = await Engine.Client.WaitForTerminalAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(2, Attempts.Get(id));
        // In memory the error is in FailureDetails; DurableTask.AzureStorage puts it in the output instead.
        Assert.Contains("transient failure on attempt 2", $"{done.FailureDetails} {done.SerializedOutput}", StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomStatusAndEvent_WaitingInstance_StatusVisibleAndEventCompletesIt()
    {
        var id = NewId("event");
        await Engine.Client.StartOrchestrationAsync(nameof(WaitForEventOrchestrator), id, "in");

        var waiting = await Engine.Client.WaitUntilAsync(
            id, m => m.SerializedCustomStatus is not null && m.ReadCustomStatusAs<string>() == WaitForEventOrchestrator.WaitingStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Running, waiting.RuntimeStatus);

        await Engine.Client.RaiseEventAsync(id, WaitForEventOrchestrator.EventName, "payload");
        var done = await Engine.Client.WaitForTerminalAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("in:payload", done.ReadOutputAs<string>());
        Assert.Equal("got go", done.ReadCustomStatusAs<string>());
    }

    [Fact]
    public async Task TryStart_SameIdWhileRunning_SecondRefusedAndFirstKept()
    {
        var id = NewId("dedupe");
        var first = await Engine.Client.TryStartOrchestrationAsync(nameof(WaitForEventOrchestrator), id, "first");
        await Engine.Client.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        var second = await Engine.Client.TryStartOrchestrationAsync(nameof(WaitForEventOrchestrator), id, "second");
        var thrown = await Assert.ThrowsAsync<OrchestrationInstanceExistsException>(
            () => Engine.Client.StartOrchestrationAsync(nameof(WaitForEventOrchestrator), id, "third"));

        Assert.True(first.Started);
        Assert.True(second.AlreadyExists);
        Assert.Equal(id, thrown.InstanceId);
        await Engine.Client.RaiseEventAsync(id, WaitForEventOrchestrator.EventName, "go");
        var done = await Engine.Client.WaitForTerminalAsync(id);
        Assert.Equal("first:go", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task TryStart_SameIdAfterCompletion_RefusedAndOutputKept()
    {
        var id = NewId("dedupe-done");
        await Engine.Client.StartOrchestrationAsync(nameof(ThreeStepOrchestrator), id, "a");
        await Engine.Client.WaitForTerminalAsync(id);

        var again = await Engine.Client.TryStartOrchestrationAsync(nameof(ThreeStepOrchestrator), id, "b");

        Assert.False(again.Started);
        var state = await Engine.Client.WaitForTerminalAsync(id);
        Assert.Equal("a>1>2>3", state.ReadOutputAs<string>());
        Assert.Equal(1, Attempts.Get($"{id}/step1"));
    }

    [Fact]
    public async Task Terminate_WaitingInstance_EndsTerminated()
    {
        var id = NewId("terminate");
        await Engine.Client.StartOrchestrationAsync(nameof(WaitForEventOrchestrator), id, "in");
        await Engine.Client.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await Engine.Client.TerminateInstanceAsync(id, "stopped by test");
        var done = await Engine.Client.WaitForTerminalAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
    }

    [Fact]
    public async Task SuspendResume_EventWhileSuspended_CompletesOnlyAfterResume()
    {
        var id = NewId("suspend");
        await Engine.Client.StartOrchestrationAsync(nameof(WaitForEventOrchestrator), id, "in");
        await Engine.Client.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await Engine.Client.SuspendInstanceAsync(id, "pause");
        await Engine.Client.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Suspended);
        await Engine.Client.RaiseEventAsync(id, WaitForEventOrchestrator.EventName, "early");
        await Task.Delay(1500);
        var whileSuspended = await Engine.Client.GetInstanceAsync(id);
        await Engine.Client.ResumeInstanceAsync(id, "continue");
        var done = await Engine.Client.WaitForTerminalAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Suspended, whileSuspended?.RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("in:early", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Purge_CompletedInstance_IsGone()
    {
        var id = NewId("purge");
        await Engine.Client.StartOrchestrationAsync(nameof(ThreeStepOrchestrator), id, "p");
        await Engine.Client.WaitForTerminalAsync(id);

        var purged = await Engine.Client.PurgeInstanceAsync(id);

        Assert.Equal(1, purged.PurgedInstanceCount);
        Assert.Null(await Engine.Client.GetInstanceAsync(id));
    }

    [Fact]
    public async Task Query_PrefixStatusAndPaging_ReturnsExactlyTheMatchingInstances()
    {
        var prefix = NewId("query");
        var completed = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var id = $"{prefix}-c{i}";
            completed.Add(id);
            await Engine.Client.StartOrchestrationAsync(nameof(ThreeStepOrchestrator), id, "q");
        }

        var waiting = $"{prefix}-w";
        await Engine.Client.StartOrchestrationAsync(nameof(WaitForEventOrchestrator), waiting, "q");
        foreach (var id in completed)
        {
            await Engine.Client.WaitForTerminalAsync(id);
        }

        await Engine.Client.WaitUntilAsync(waiting, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        var pages = new List<int>();
        var found = new List<string>();
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = prefix,
            Statuses = [OrchestrationRuntimeStatus.Completed],
            PageSize = 2,
        };
        await foreach (var page in Engine.Client.GetAllInstancesAsync(query).AsPages())
        {
            pages.Add(page.Values.Count);
            found.AddRange(page.Values.Select(m => m.InstanceId));
        }

        var all = new List<string>();
        await foreach (var m in Engine.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix }))
        {
            all.Add(m.InstanceId);
        }

        Assert.Equal(completed.Order(), found.Order());
        Assert.All(pages, size => Assert.InRange(size, 0, 2));
        Assert.True(pages.Count(size => size > 0) >= 3, $"expected at least 3 non-empty pages, got [{string.Join(',', pages)}]");
        Assert.Equal(completed.Append(waiting).Order(), all.Order());
        await Engine.Client.TerminateInstanceAsync(waiting);
    }

    /// <summary>Starts <paramref name="count"/> three-step orchestrations at once and waits for all; returns orchestrations/s.</summary>
    protected async Task<double> RunConcurrentAsync(int count)
    {
        var prefix = NewId("bulk");
        var clock = Stopwatch.StartNew();
        var ids = Enumerable.Range(0, count).Select(i => $"{prefix}-{i}").ToArray();
        await Task.WhenAll(ids.Select(id => Engine.Client.StartOrchestrationAsync(nameof(ThreeStepOrchestrator), id, "b")));
        await Engine.Client.WaitForAllTerminalAsync(prefix, count, TimeSpan.FromMinutes(3));
        clock.Stop();
        var done = await Task.WhenAll(ids.Select(id => Engine.Client.WaitForTerminalAsync(id)));

        Assert.All(done, m =>
        {
            Assert.Equal(OrchestrationRuntimeStatus.Completed, m.RuntimeStatus);
            Assert.Equal("b>1>2>3", m.ReadOutputAs<string>());
        });
        var rate = count / clock.Elapsed.TotalSeconds;
        output.WriteLine($"{count} concurrent 3-activity orchestrations: {clock.Elapsed.TotalSeconds:F2} s, {rate:F1} orchestrations/s");
        return rate;
    }
}
