using EccoStudio.Orchestrations.Composition;
using Microsoft.DurableTask;

namespace EccoStudio.Orchestrations.Steps;

/// <summary>
/// Per-orchestration bookkeeping of steps: builds each step's retry options (bounded attempts, exponential backoff,
/// <see cref="RetryPolicy.HandleFailure"/> retrying only <see cref="StepFailures.IsTransient"/> failures) and publishes
/// the custom status (step, attempt, last error, steps done) on every step change and every failed attempt.
/// Deterministic: it only counts what the replayed history shows.
/// </summary>
public sealed class StepTracker(TaskOrchestrationContext context, StepRetryOptions retry, string? historyObject)
{
    private readonly Dictionary<string, int> failures = new(StringComparer.Ordinal);
    private readonly HashSet<string> stoppedByNonTransient = new(StringComparer.Ordinal);
    private readonly List<string> done = [];
    private string step = "start";
    private string? lastError;
    private string? compensation;

    public string CurrentStep => step;

    public string? LastError => lastError;

    public IReadOnlyList<string> Done => done;

    /// <summary>Attempts of a step that succeeded (its failures + the success).</summary>
    public int Attempts(string name) => (failures.TryGetValue(name, out var n) ? n : 0) + 1;

    /// <summary>
    /// Attempts made by a step that failed for good. The retry policy consults <see cref="RetryPolicy.HandleFailure"/>
    /// only while attempts remain, so an exhausted step made one attempt more than it was asked about; a step stopped
    /// by a non-transient failure made exactly as many.
    /// </summary>
    public int Failures(string name) => (failures.TryGetValue(name, out var n) ? n : 0) + (stoppedByNonTransient.Contains(name) ? 0 : 1);

    public IReadOnlyDictionary<string, int> AttemptsByStep => done.ToDictionary(s => s, Attempts, StringComparer.Ordinal);

    public TaskOptions Options(string name) =>
        TaskOptions.FromRetryPolicy(new RetryPolicy(
            Math.Max(1, retry.MaxAttempts),
            retry.FirstRetryInterval,
            retry.BackoffCoefficient,
            retry.MaxRetryInterval)
        {
            HandleFailure = failure =>
            {
                failures[name] = (failures.TryGetValue(name, out var n) ? n : 0) + 1;
                lastError = StepFailures.Describe(failure);
                var transient = StepFailures.IsTransient(failure);
                if (!transient)
                {
                    stoppedByNonTransient.Add(name);
                }

                Publish();
                return transient;
            },
        });

    public void Begin(string name)
    {
        step = name;
        Publish();
    }

    public void Complete(string name)
    {
        done.Add(name);
        Publish();
    }

    public void Compensating(string what)
    {
        compensation = what;
        Publish();
    }

    public void Finish(string final)
    {
        step = final;
        Publish();
    }

    private void Publish() =>
        context.SetCustomStatus(new WriteStatus(step, Attempts(step), lastError, historyObject, [.. done], compensation));
}

/// <summary>
/// Custom status of a write (what ops see in the status query): the step reached, its attempt number, the last
/// error seen, the history object the write targets, the steps done, and the compensation state if any.
/// </summary>
public sealed record WriteStatus(string Step, int Attempt, string? LastError, string? HistoryObject, IReadOnlyList<string> Done, string? Compensation);
