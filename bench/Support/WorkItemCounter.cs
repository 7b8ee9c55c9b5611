using System.Diagnostics.Metrics;
using EccoStudio.Bench.Measurement;
using EccoStudio.Engine.Telemetry;

namespace EccoStudio.Bench.Support;

/// <summary>
/// Engine work items completed in this process, counted from the engine's own meter
/// (<c>ecco.engine.work_items{kind=orchestration|activity}</c>, <see cref="EngineTelemetry"/>): orchestrator episodes
/// and activity executions, exactly as the engine reports them. Counts everything the process's engines run while
/// listening, so measure with nothing else running.
/// </summary>
public sealed class WorkItemCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _episodes;
    private long _activities;

    public WorkItemCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EngineTelemetry.MeterName && instrument.Name == EngineTelemetry.WorkItems.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "kind")
                {
                    if ((string?)tag.Value == "activity")
                    {
                        Interlocked.Add(ref _activities, value);
                    }
                    else
                    {
                        Interlocked.Add(ref _episodes, value);
                    }
                }
            }
        });
        _listener.Start();
    }

    /// <summary>Episodes and activities completed since the counter started.</summary>
    public (long Episodes, long Activities) Snapshot() => (Interlocked.Read(ref _episodes), Interlocked.Read(ref _activities));

    /// <summary>Work items of <paramref name="writes"/> writes run by <paramref name="run"/>, per write.</summary>
    public async Task<(double Episodes, double Activities)> PerWriteAsync(int writes, Func<Task> run)
    {
        var before = Snapshot();
        await run();
        // Completion is counted as the engine commits it: let the last commits of the run land.
        await Task.Delay(200);
        var after = Snapshot();
        return ((after.Episodes - before.Episodes) / (double)writes, (after.Activities - before.Activities) / (double)writes);
    }

    /// <summary>
    /// Engine work items per steady write, counted over <paramref name="passes"/> passes of one steady write per id by
    /// <paramref name="writers"/> writers (as the throughput runs write): adds the total as <paramref name="key"/> and
    /// its breakdown (<c>_episodes</c>, <c>_activities</c>); returns the median total.
    /// </summary>
    public static async Task<double> AddFiguresAsync(Report report, string key, int passes, string[] ids, int writers, Func<string, int, Task> steadyWrite)
    {
        using var counter = new WorkItemCounter();
        var episodes = new List<double>();
        var activities = new List<double>();
        for (var pass = 0; pass < passes; pass++)
        {
            var (e, a) = await counter.PerWriteAsync(ids.Length, () => Runner.ParallelAsync(ids.Length, writers, i => steadyWrite(ids[i], pass)));
            episodes.Add(e);
            activities.Add(a);
        }

        var total = report.Add(Figure.FromSamples(key, "work items", [.. episodes.Zip(activities, (e, a) => e + a)]) with
        {
            Note = $"counted on the engine meter ecco.engine.work_items: {ids.Length} steady writes × {passes} passes, {writers} writers; " +
                $"episodes {Median(episodes):F2} + activities {Median(activities):F2} (goal <= 8)",
        });
        report.Add(Figure.FromSamples(key + "_episodes", "orchestrator episodes", episodes));
        report.Add(Figure.FromSamples(key + "_activities", "activities", activities));
        return total.Median;
    }

    private static double Median(List<double> samples) => Figure.FromSamples("m", string.Empty, samples).Median;

    public void Dispose() => _listener.Dispose();
}
