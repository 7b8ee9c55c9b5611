using System.Globalization;

namespace EccoStudio.Testing.Simulation;

/// <summary>
/// A seeded, single-threaded scheduler for deterministic simulation (FoundationDB style). Simulated actors (writers,
/// reconcilers) are ordinary async code; every storage call they make is parked here, and <see cref="Run"/> picks
/// the next call to execute at random from those pending, decides its fate (answers, fails before its effect, loses
/// its answer after the effect, or crashes the worker), and completes it. The awaiting actor continues inline until
/// its next storage call, so exactly one actor runs at a time and the whole run is a function of the seed: a failing
/// seed replays call for call. Run it where there is no synchronization context (e.g. inside <c>Task.Run</c>).
/// </summary>
public sealed class SimScheduler(int seed, SimFaults faults)
{
    private static readonly AsyncLocal<string?> CurrentActorName = new();
    private readonly Random _random = new(seed);
    private readonly List<PendingCall> _pending = [];
    private readonly List<(string Name, Task Task)> _actors = [];
    private readonly List<string> _trace = [];

    public int Seed { get; } = seed;

    public SimFaults Faults { get; } = faults;

    /// <summary>Every call in execution order: step, actor, call, outcome.</summary>
    public IReadOnlyList<string> Trace => _trace;

    /// <summary>The random source of the run (for actors that draw their own choices: same seed, same choices).</summary>
    public Random Random => _random;

    /// <summary>The actor whose code is running (null outside any actor).</summary>
    public static string? CurrentActor => CurrentActorName.Value;

    /// <summary>Starts an actor; it runs until its first storage call. May be called by a running actor.</summary>
    public void Spawn(string name, Func<Task> body)
    {
        async Task RunAsActorAsync()
        {
            CurrentActorName.Value = name;
            await body();
        }

        _actors.Add((name, RunAsActorAsync()));
    }

    /// <summary>Runs pending calls in seeded random order until every actor has finished.</summary>
    /// <exception cref="SimulationException">An actor threw, waited on something outside the simulation, or the run did not end.</exception>
    public void Run(int maxCalls = 500_000)
    {
        while (_pending.Count > 0)
        {
            if (_trace.Count >= maxCalls)
            {
                throw new SimulationException(this, $"no quiescence after {maxCalls} calls (livelock?)");
            }

            var index = _random.Next(_pending.Count);
            var call = _pending[index];
            _pending.RemoveAt(index);
            call.Execute(this);
        }

        foreach (var (name, task) in _actors)
        {
            if (!task.IsCompleted)
            {
                throw new SimulationException(this, $"actor {name} awaits something outside the simulation (not deterministic)");
            }

            if (task.IsFaulted)
            {
                throw new SimulationException(this, $"actor {name} failed: {task.Exception!.GetBaseException()}");
            }
        }
    }

    internal Task<T> CallAsync<T>(string what, bool storeRetries, Func<T> effect, Func<T, string> describe)
    {
        var call = new PendingCall<T>(CurrentActor ?? "?", what, storeRetries, effect, describe);
        _pending.Add(call);
        return call.Task;
    }

    private void Record(PendingCall call, string outcome) =>
        _trace.Add(string.Create(CultureInfo.InvariantCulture, $"{_trace.Count,6} {call.Actor,-18} {call.What} -> {outcome}"));

    private abstract class PendingCall(string actor, string what, bool storeRetries)
    {
        public string Actor { get; } = actor;

        public string What { get; } = what;

        public bool StoreRetries { get; } = storeRetries;

        public void Execute(SimScheduler scheduler)
        {
            var faults = scheduler.Faults;
            var roll = scheduler._random.NextDouble();
            if (roll < faults.FailBefore && StoreRetries && scheduler._random.NextDouble() < faults.StoreRetryAbsorbs)
            {
                // The store's own retry absorbs it: the call goes back among the pending ones (another interleaving point).
                scheduler.Record(this, "FAILED before effect; store retries");
                scheduler._pending.Add(this);
            }
            else if (roll < faults.FailBefore)
            {
                scheduler.Record(this, "FAILED before effect");
                Fail(new SimTransientException($"simulated 503 on {What}"));
            }
            else if (roll < faults.FailBefore + faults.LoseResponse)
            {
                var first = Apply();
                if (StoreRetries && scheduler._random.Next(2) == 0)
                {
                    // The store's own retry sends the call again: a CAS now meets its own effect (412), a delete finds nothing.
                    var again = Apply();
                    scheduler.Record(this, $"answer LOST after effect ({first}); store retried: {again}");
                    Complete();
                }
                else
                {
                    scheduler.Record(this, $"answer LOST after effect ({first})");
                    Fail(new SimTransientException($"simulated lost answer on {What}"));
                }
            }
            else if (roll < faults.FailBefore + faults.LoseResponse + faults.Crash)
            {
                var after = scheduler._random.Next(2) == 0;
                var effect = after ? Apply() : "no effect";
                scheduler.Record(this, $"CRASH ({effect})");
                Fail(new SimCrashException($"simulated worker crash at {What}"));
            }
            else
            {
                scheduler.Record(this, Apply());
                Complete();
            }
        }

        /// <summary>Runs the effect, keeping its result or exception for <see cref="Complete"/>; returns a description.</summary>
        protected abstract string Apply();

        protected abstract void Complete();

        protected abstract void Fail(Exception exception);
    }

    private sealed class PendingCall<T>(string actor, string what, bool storeRetries, Func<T> effect, Func<T, string> describe)
        : PendingCall(actor, what, storeRetries)
    {
        private readonly TaskCompletionSource<T> _completion = new();
        private T _result = default!;
        private Exception? _error;

        public Task<T> Task => _completion.Task;

        protected override string Apply()
        {
            try
            {
                _result = effect();
                _error = null;
                return describe(_result);
            }
            catch (Exception e) when (e is not SimulationException)
            {
                _error = e;
                return e.GetType().Name;
            }
        }

        protected override void Complete()
        {
            if (_error is not null)
            {
                _completion.SetException(_error);
            }
            else
            {
                _completion.SetResult(_result);
            }
        }

        protected override void Fail(Exception exception) => _completion.SetException(exception);
    }
}

/// <summary>The simulation itself went wrong; carries the seed and the trace for replay.</summary>
public sealed class SimulationException : Exception
{
    public SimulationException()
    {
    }

    public SimulationException(string message)
        : base(message)
    {
    }

    public SimulationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal SimulationException(SimScheduler scheduler, string message)
        : base($"seed {scheduler.Seed}: {message}")
    {
    }
}
