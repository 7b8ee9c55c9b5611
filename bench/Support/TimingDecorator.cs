using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.DurableTask;

namespace EccoStudio.Bench.Support;

/// <summary>Wraps every activity of the write path to time its <c>RunAsync</c> (the stopwatch breakdown per activity).</summary>
public sealed class ActivityTimings
{
    private readonly ConcurrentDictionary<string, (long Count, double Ms)> _totals = new(StringComparer.Ordinal);

    public ITaskActivity Decorate(string name, ITaskActivity activity, IServiceProvider services) => new Timed(name, activity, this);

    public void Reset() => _totals.Clear();

    public IReadOnlyDictionary<string, (long Count, double Ms)> Snapshot() => new Dictionary<string, (long, double)>(_totals);

    private void Record(string name, double ms) =>
        _totals.AddOrUpdate(name, (1, ms), (_, t) => (t.Count + 1, t.Ms + ms));

    private sealed class Timed(string name, ITaskActivity inner, ActivityTimings owner) : ITaskActivity
    {
        public Type InputType => inner.InputType;

        public Type OutputType => inner.OutputType;

        public async Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            var sw = Stopwatch.StartNew();
            try
            {
                return await inner.RunAsync(context, input);
            }
            finally
            {
                owner.Record(name, sw.Elapsed.TotalMilliseconds);
            }
        }
    }
}
