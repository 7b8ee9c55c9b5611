using System.Diagnostics.Metrics;

namespace EccoStudio.Engine.Telemetry;

/// <summary>
/// What this process's engine worker executed: one count per completed work item, tagged with the worker id, so
/// with several workers on one task hub ops see who ran what (docs/observability.md, docs/scale-out.md).
/// </summary>
public static class EngineTelemetry
{
    /// <summary>Meter name; the telemetry composition subscribes to it.</summary>
    public const string MeterName = "EccoStudio.Engine";

    public static readonly Meter Meter = new(MeterName);

    /// <summary><c>ecco.engine.work_items{worker, kind=orchestration|activity, name}</c>: completed work items.</summary>
    public static readonly Counter<long> WorkItems = Meter.CreateCounter<long>("ecco.engine.work_items", "{work_item}",
        "Orchestration episodes and activities this worker completed");

    public static void Completed(string worker, string kind, string? name) =>
        WorkItems.Add(1, new("worker", worker), new("kind", kind), new("name", name ?? "unknown"));
}
