using System.Diagnostics.Metrics;

namespace EccoStudio.Telemetry;

/// <summary>Owner of the Pub/Sub push bridge's instruments (meter <c>EccoStudio.Bridge</c>).</summary>
public static class BridgeTelemetry
{
    public static readonly Meter Meter = new(EccoTelemetryNames.Bridge);

    /// <summary>Every push (ecco.outcome = started | duplicate | reflected | ignored | refused).</summary>
    public static readonly Counter<long> Received = Meter.CreateCounter<long>("ecco.pubsub.pushes.received", "{push}", "Pub/Sub pushes received");

    /// <summary>Redeliveries of a notification whose reconcile already exists (answered 200, no new work).</summary>
    public static readonly Counter<long> Duplicates = Meter.CreateCounter<long>("ecco.pubsub.pushes.duplicates", "{push}", "Duplicate Pub/Sub deliveries");

    /// <summary>Pushes answered 4xx (ecco.reason = unauthorized | bad_request | …): Pub/Sub retries and then dead-letters them.</summary>
    public static readonly Counter<long> Refused = Meter.CreateCounter<long>("ecco.pubsub.pushes.refused", "{push}", "Pub/Sub pushes refused");
}
