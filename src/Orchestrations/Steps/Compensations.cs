using Microsoft.DurableTask;

namespace EccoStudio.Orchestrations.Steps;

/// <summary>
/// The undo side of a saga (src/Orchestrations/README.md "Steps and compensation"). As a saga commits effects it
/// registers how to undo them; when a later step fails for good, <see cref="UnwindAsync"/> runs, in this order:
/// <list type="number">
/// <item>the fixed first action (<see cref="StartWith"/>): for our sagas the compensation record appended to history.
/// It goes first whatever else was registered: once it is there, history says "skip that change", so a crash part-way
/// through the unwind still leaves every reconcile converging to the state without it (docs/reliability.md "The
/// convergence argument", 1);</item>
/// <item>the registered undos, last registered first.</item>
/// </list>
/// Each undo says what it did (<see cref="Unwinding.Did"/>), so a failed unwind can say what was already undone.
/// Deterministic: it holds delegates and strings; every undo calls activities through <see cref="StepTracker"/>.
/// </summary>
public sealed class Compensations(StepTracker steps, string step)
{
    private readonly Stack<Func<Unwinding, Task>> _undos = new();
    private Func<Unwinding, Task>? _first;

    /// <summary>The compensation step's name (custom status, retry options, telemetry).</summary>
    public string Step => step;

    /// <summary>Sets the action every unwind starts with, before any registered undo.</summary>
    public void StartWith(Func<Unwinding, Task> action) => _first = action;

    /// <summary>Registers the undo of a step. Register it before the step runs when a failed attempt may still have had its effect.</summary>
    public void Push(Func<Unwinding, Task> undo) => _undos.Push(undo);

    /// <summary>
    /// Runs the first action, then the undos last registered first, under the open step <see cref="Step"/>. Returns
    /// what was undone (<c>a, b, c</c>); when an undo fails for good, returns what <paramref name="unwindFailed"/>
    /// makes of the failure and of what was undone so far.
    /// </summary>
    public async Task<string> UnwindAsync(string reason, Func<string, IReadOnlyList<string>, Task<string>> unwindFailed)
    {
        steps.Begin(step);
        var unwinding = new Unwinding(step, reason);
        try
        {
            if (_first is not null)
            {
                await _first(unwinding);
            }

            while (_undos.TryPop(out var undo))
            {
                await undo(unwinding);
            }
        }
        catch (TaskFailedException undoFailure)
        {
            var failure = StepFailures.Describe(undoFailure);
            steps.Compensating("failed: " + failure);
            return await unwindFailed(failure, unwinding.Undone);
        }

        var undone = string.Join(", ", unwinding.Undone);
        steps.Compensating("done: " + undone);
        if (steps.IsOpen(step))
        {
            // An undo that re-runs steps of the saga (a delete settles again) reports them as themselves.
            steps.Complete(step);
        }

        return undone;
    }
}

/// <summary>What an undo is told (the compensation step, why the saga unwinds) and where it says what it did.</summary>
public sealed class Unwinding(string step, string reason)
{
    private readonly List<string> _undone = [];

    /// <summary>The compensation step: undo calls run under its retry options (<see cref="StepTracker.UndoAsync{T}"/>).</summary>
    public string Step => step;

    /// <summary>Why: <c>{step} failed after {n} attempt(s): {error}</c>.</summary>
    public string Reason => reason;

    public IReadOnlyList<string> Undone => _undone;

    public void Did(string what) => _undone.Add(what);
}
