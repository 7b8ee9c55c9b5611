using System.Diagnostics.Metrics;

namespace EccoStudio.Telemetry;

/// <summary>Owner of the alert delivery instruments (meter <c>EccoStudio.Alerts</c>).</summary>
public static class AlertTelemetry
{
    public static readonly Meter Meter = new(EccoTelemetryNames.Alerts);

    /// <summary>Webhook POSTs made (ecco.outcome = delivered | retryable | rejected | unknown).</summary>
    public static readonly Counter<long> Sent = Meter.CreateCounter<long>("ecco.alerts.sent", "{post}", "Alert webhook POSTs");

    /// <summary>Alerts not posted (ecco.reason = already_delivered | other_owner | interrupted): the at-most-once rule at work.</summary>
    public static readonly Counter<long> Suppressed = Meter.CreateCounter<long>("ecco.alerts.suppressed", "{alert}", "Alerts not posted (deduplicated)");
}
