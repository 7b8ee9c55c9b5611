using System.Diagnostics;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Telemetry;
using Microsoft.DurableTask;

namespace EccoStudio.Orchestrations.Steps;

/// <summary>
/// Per-orchestration bookkeeping of steps: builds each step's retry options (bounded attempts, exponential backoff,
/// <see cref="RetryPolicy.HandleFailure"/> retrying only <see cref="StepFailures.IsTransient"/> failures) and publishes
/// the custom status (step, attempt, last error, steps done) on every step change and every failed attempt.
/// Deterministic: it only counts what the replayed history shows.
/// Telemetry (<see cref="WriteTelemetry"/>), only while not replaying so each event counts once: a span per step
/// (child of the orchestration's span; start and end from the orchestration clock) with step, attempts and outcome;
/// step duration, attempts and retries; for writes, completed / failed / compensated. A step left without
/// <see cref="Complete"/> (another step begun, or the run finished) counts as failed.
/// </summary>
public sealed class StepTracker(TaskOrchestrationContext context, StepRetryOptions retry, string? historyObject, string workflow = "write")
{
    private readonly DateTime _started = context.CurrentUtcDateTime;
    // Steps begun and not yet completed or left, with their start: one, or several while a fan-out runs.
    private readonly List<(string Name, DateTime Started)> _open = [];
    private string? _firstFailed;

    // The fan-out running or last run (steps in the order started), where its steps start in the done list, and
    // which step each of its tasks is.
    private readonly List<string> _fanOut = [];
    private readonly Dictionary<Task, string> _fanOutTasks = new();
    private int _fanOutDone;
    private TagList _entityTags;

    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly HashSet<string> _stoppedByNonTransient = new(StringComparer.Ordinal);
    private readonly List<string> _done = [];
    private string _step = "start";
    private string? _lastError;
    private string? _compensation;

    public string CurrentStep => _step;

    public string? LastError => _lastError;

    public IReadOnlyList<string> Done => _done;

    /// <summary>Attempts of a step that succeeded (its failures + the success).</summary>
    public int Attempts(string name) => (_failures.TryGetValue(name, out var n) ? n : 0) + 1;

    /// <summary>
    /// Attempts made by a step that failed for good. The retry policy consults <see cref="RetryPolicy.HandleFailure"/>
    /// only while attempts remain, so an exhausted step made one attempt more than it was asked about; a step stopped
    /// by a non-transient failure made exactly as many.
    /// </summary>
    public int Failures(string name) => (_failures.TryGetValue(name, out var n) ? n : 0) + (_stoppedByNonTransient.Contains(name) ? 0 : 1);

    public IReadOnlyDictionary<string, int> AttemptsByStep => _done.ToDictionary(s => s, Attempts, StringComparer.Ordinal);

    public TaskOptions Options(string name) =>
        TaskOptions.FromRetryPolicy(new RetryPolicy(
            Math.Max(1, retry.MaxAttempts),
            retry.FirstRetryInterval,
            retry.BackoffCoefficient,
            retry.MaxRetryInterval)
        {
            HandleFailure = failure =>
            {
                _failures[name] = (_failures.TryGetValue(name, out var n) ? n : 0) + 1;
                _lastError = StepFailures.Describe(failure);
                if (IsOpen(name))
                {
                    // In a fan-out the status names the step that is failing.
                    _step = name;
                }

                var transient = StepFailures.IsTransient(failure);
                if (!transient)
                {
                    _stoppedByNonTransient.Add(name);
                }
                else if (!context.IsReplaying)
                {
                    WriteTelemetry.StepRetries.Add(1, new TagList { { EccoTags.Workflow, workflow }, { EccoTags.Step, name } });
                }

                Publish();
                return transient;
            },
        });

    /// <summary>Names the entity on the orchestration's span and on the write metrics (ids stay off metrics: unbounded).</summary>
    public void Tag(string env, string entity, string id)
    {
        _entityTags = WriteTelemetry.EntityTags(env, entity);
        if (Activity.Current is { } span)
        {
            span.SetTag(EccoTags.Env, env);
            span.SetTag(EccoTags.Entity, entity);
            span.SetTag(EccoTags.Id, id);
            span.SetTag(EccoTags.Workflow, workflow);
        }
    }

    /// <summary>
    /// Runs one step: begins it, calls its activity under the step's retry policy (<see cref="Options"/>) and
    /// completes it. A failure for good propagates as the engine reports it (<see cref="TaskFailedException"/>) with the
    /// step left open, so <see cref="CurrentStep"/> and <see cref="Failures"/> name it for whoever decides what the
    /// failure means (end the run, unwind a <see cref="Compensations"/>, or record it and go on). Deterministic:
    /// only the activity call and the custom status, as every step had before the runner.
    /// </summary>
    public async Task<T> RunAsync<T>(string name, string activity, object input)
    {
        Begin(name);
        var result = await context.CallActivityAsync<T>(activity, input, Options(name));
        Complete(name);
        return result;
    }

    /// <summary>
    /// Runs one step made of several calls of one activity, one per item, in order (the alerts one rule evaluation
    /// fired): each call's input is built just before the call; a call that fails for good is handed to
    /// <paramref name="failed"/> and the step goes on; the step completes once every call has ended.
    /// </summary>
    public async Task<IReadOnlyList<T>> RunEachAsync<TItem, T>(string name, string activity, IReadOnlyList<TItem> items, Func<TItem, object> input,
        Func<TItem, TaskFailedException, Task> failed)
    {
        Begin(name);
        var results = new List<T>(items.Count);
        foreach (var item in items)
        {
            try
            {
                results.Add(await context.CallActivityAsync<T>(activity, input(item), Options(name)));
            }
            catch (TaskFailedException failure)
            {
                await failed(item, failure);
            }
        }

        Complete(name);
        return results;
    }

    /// <summary>
    /// One call of an undo (<see cref="Compensations"/>): publishes <paramref name="what"/> as the compensation's
    /// progress and calls the activity under the retry policy of the open compensation step <paramref name="step"/>.
    /// </summary>
    public Task<T> UndoAsync<T>(string step, string what, string activity, object input)
    {
        Compensating(what);
        return context.CallActivityAsync<T>(activity, input, Options(step));
    }

    /// <summary>
    /// Ends the run at the open step that failed for good: the custom status says <c>failed</c>, and the exception to
    /// throw says <c>{subject} failed at step {step} after {n} attempt(s): {error}; {consequence}.</c>
    /// </summary>
    public WriteFailedException Fail(string target, string subject, TaskFailedException failure, string consequence)
    {
        var failedStep = _step;
        Finish("failed");
        return new WriteFailedException(target, failedStep,
            $"{subject} failed at step {failedStep} after {Failures(failedStep)} attempt(s): {StepFailures.Describe(failure)}; {consequence}.");
    }

    /// <summary>
    /// Starts one step of a fan-out: it begins beside the fan-out's steps already started (they run concurrently; the
    /// status names the first of them still open, or the one whose attempt failed last), its activity is called under
    /// its retry policy, and it completes when the call succeeds. Steps done keep the order the fan-out started them
    /// in, whatever order they finish in. Await the fan-out with <see cref="AllSettledAsync"/>; a failure for good
    /// stays in the returned task and leaves the step open. Deterministic: the engine replays completions in the
    /// order of its history.
    /// </summary>
    public Task<T> StartAsync<T>(string name, string activity, object input)
    {
        if (_fanOut.Count == 0)
        {
            LeaveOpenSteps();
            _fanOutDone = _done.Count;
            _step = name;
        }

        _fanOut.Add(name);
        _open.Add((name, context.CurrentUtcDateTime));
        Publish();
        var call = CallThenCompleteAsync<T>(name, activity, input);
        _fanOutTasks[call] = name;
        return call;
    }

    /// <summary>Waits until every step of a fan-out has ended, succeeded or failed for good; never throws.</summary>
    public static async Task AllSettledAsync(params Task[] steps)
    {
        try
        {
            await Task.WhenAll(steps);
        }
        catch (TaskFailedException)
        {
            // Each failure stays in its own task: the saga decides what it means (ThrowFirstFailure).
        }
    }

    /// <summary>
    /// After <see cref="AllSettledAsync"/>: when any of <paramref name="steps"/> failed for good, the first of them (in
    /// the order given) becomes the current step (<see cref="CurrentStep"/>, <see cref="Failures"/>) and its failure is
    /// thrown, as a sequential step's would be.
    /// </summary>
    public void ThrowFirstFailure(params Task[] steps)
    {
        foreach (var task in steps)
        {
            if (task.Exception?.InnerException is TaskFailedException failure)
            {
                _step = _fanOutTasks[task];
                Publish();
                throw failure;
            }
        }
    }

    private async Task<T> CallThenCompleteAsync<T>(string name, string activity, object input)
    {
        var result = await context.CallActivityAsync<T>(activity, input, Options(name));
        // In the fan-out's order among its steps already done.
        var rank = _fanOut.IndexOf(name);
        var at = _fanOutDone;
        while (at < _done.Count && _fanOut.IndexOf(_done[at]) < rank)
        {
            at++;
        }

        _done.Insert(at, name);
        CloseStep(name);
        if (_step == name && _open.Count > 0)
        {
            _step = _open[0].Name;
        }

        Publish();
        return result;
    }

    /// <summary>True while <paramref name="name"/> is begun and not yet completed or left.</summary>
    public bool IsOpen(string name) => _open.Exists(o => o.Name == name);

    /// <summary>Begins a step; any step still open was left by a failure (recorded as failed).</summary>
    public void Begin(string name)
    {
        LeaveOpenSteps();
        _fanOut.Clear();
        _step = name;
        _open.Add((name, context.CurrentUtcDateTime));
        Publish();
    }

    public void Complete(string name)
    {
        _done.Add(name);
        CloseStep(name);
        Publish();
    }

    public void Compensating(string what)
    {
        _compensation = what;
        Publish();
    }

    public void Finish(string final)
    {
        LeaveOpenSteps();
        _step = final;
        Publish();
        if (context.IsReplaying || workflow != "write")
        {
            return;
        }

        var tags = _entityTags;
        WriteTelemetry.Duration.Record((context.CurrentUtcDateTime - _started).TotalSeconds, tags);
        if (final == "completed")
        {
            WriteTelemetry.Completed.Add(1, tags);
            return;
        }

        tags.Add(EccoTags.Step, _firstFailed ?? "unknown");
        WriteTelemetry.Failed.Add(1, tags);
        if (_compensation is not null)
        {
            WriteTelemetry.Compensated.Add(1, tags);
        }
    }

    private void LeaveOpenSteps()
    {
        foreach (var (name, started) in _open)
        {
            _firstFailed ??= name;
            RecordStep(name, started, "failed");
        }

        _open.Clear();
    }

    private void CloseStep(string name)
    {
        var index = _open.FindIndex(o => o.Name == name);
        if (index >= 0)
        {
            RecordStep(name, _open[index].Started, "ok");
            _open.RemoveAt(index);
        }
    }

    private void RecordStep(string name, DateTime stepStarted, string outcome)
    {
        if (context.IsReplaying)
        {
            return;
        }

        var attempts = outcome == "ok" ? Attempts(name) : Failures(name);
        var tags = new TagList { { EccoTags.Workflow, workflow }, { EccoTags.Step, name }, { EccoTags.Outcome, outcome } };
        var end = context.CurrentUtcDateTime;
        WriteTelemetry.StepDuration.Record((end - stepStarted).TotalSeconds, tags);
        WriteTelemetry.StepAttempts.Record(attempts, tags);

        using var span = WriteTelemetry.Source.StartActivity("step " + name, ActivityKind.Internal, parentContext: default,
            startTime: new DateTimeOffset(stepStarted, TimeSpan.Zero));
        if (span is null)
        {
            return;
        }

        foreach (var tag in tags)
        {
            span.SetTag(tag.Key, tag.Value);
        }

        span.SetTag(EccoTags.Attempt, attempts);
        if (outcome != "ok")
        {
            span.SetStatus(ActivityStatusCode.Error, "step failed after " + attempts + " attempt(s)");
        }

        span.SetEndTime(end);
    }

    private void Publish() =>
        context.SetCustomStatus(new WriteStatus(_step, Attempts(_step), _lastError, historyObject, [.. _done], _compensation));
}

/// <summary>
/// Custom status of a write (what ops see in the status query): the step reached, its attempt number, the last
/// error seen, the history object the write targets, the steps done, and the compensation state if any.
/// </summary>
public sealed record WriteStatus(string Step, int Attempt, string? LastError, string? HistoryObject, IReadOnlyList<string> Done, string? Compensation);
