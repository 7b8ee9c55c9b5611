using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EccoStudio.Telemetry;

/// <summary>
/// Owner of the write path's instruments (meter and activity source <c>EccoStudio.Writes</c>): writes accepted,
/// completed, failed, compensated; per-step duration, attempts and retries. Orchestrators call these only when the
/// orchestration is not replaying, so each event counts once.
/// </summary>
public static class WriteTelemetry
{
    public static readonly ActivitySource Source = new(EccoTelemetryNames.Writes);
    public static readonly Meter Meter = new(EccoTelemetryNames.Writes);

    // Bucket bounds for latencies in seconds (the SDK default suits milliseconds): 1 ms … 60 s.
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    };

    /// <summary>Writes accepted over HTTP (202 with a new instance; an idempotent replay does not count).</summary>
    public static readonly Counter<long> Accepted = Meter.CreateCounter<long>("ecco.writes.accepted", "{write}", "Writes accepted (202, new instance)");

    public static readonly Counter<long> Completed = Meter.CreateCounter<long>("ecco.writes.completed", "{write}", "Write orchestrations completed");

    /// <summary>Tagged with the failed step.</summary>
    public static readonly Counter<long> Failed = Meter.CreateCounter<long>("ecco.writes.failed", "{write}", "Write orchestrations ended Failed");

    public static readonly Counter<long> Compensated = Meter.CreateCounter<long>("ecco.writes.compensated", "{write}", "Failed writes whose derived objects were rolled back");

    /// <summary>Orchestration clock: from the start of the orchestration to its end.</summary>
    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("ecco.write.duration", "s", "Write orchestration duration", advice: Seconds);

    /// <summary>Per step (ecco.workflow, ecco.step, ecco.outcome): all attempts and backoff included.</summary>
    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>("ecco.step.duration", "s", "Step duration including retries", advice: Seconds);

    public static readonly Histogram<long> StepAttempts = Meter.CreateHistogram<long>("ecco.step.attempts", "{attempt}", "Attempts a step took");

    /// <summary>Failed attempts that the retry policy retries (transient failures).</summary>
    public static readonly Counter<long> StepRetries = Meter.CreateCounter<long>("ecco.step.retries", "{retry}", "Step attempts retried after a transient failure");

    public static TagList EntityTags(string env, string entity) => new() { { EccoTags.Env, env }, { EccoTags.Entity, entity } };
}
