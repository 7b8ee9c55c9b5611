using System.Diagnostics.Metrics;

namespace EccoStudio.Storage.Consistency;

/// <summary>
/// Counters ops can watch for drift that escaped the write protocol and was caught by a backstop
/// (docs/reliability.md, "Backstops"). Meter <see cref="MeterName"/>; any OpenTelemetry or dotnet-counters listener
/// picks it up. Every increment is also logged by the code that repaired it.
/// </summary>
public static class ConvergenceMetrics
{
    public const string MeterName = "EccoStudio.Convergence";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Drift = Meter.CreateCounter<long>("ecco.drift.found", "{object}",
        "Derived objects found disagreeing with their snapshot or history, by kind and by the backstop that found them.");

    private static readonly Counter<long> Repairs = Meter.CreateCounter<long>("ecco.drift.repairs", "{repair}",
        "Automatic repairs started or done for drift a backstop found, by backstop.");

    /// <param name="kind">What disagreed, e.g. <c>pointer-wrong-key</c>, <c>pointer-stale</c>.</param>
    /// <param name="source">Which backstop found it, e.g. <c>index-read</c>.</param>
    public static void Found(string kind, string source) =>
        Drift.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("source", source));

    public static void Repaired(string source) => Repairs.Add(1, new KeyValuePair<string, object?>("source", source));
}
