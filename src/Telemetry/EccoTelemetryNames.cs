namespace EccoStudio.Telemetry;

/// <summary>The names of every activity source and meter we own (docs/observability.md lists what each emits).</summary>
public static class EccoTelemetryNames
{
    /// <summary>Service name in resource attributes.</summary>
    public const string ServiceName = "ecco-studio";

    public const string Writes = "EccoStudio.Writes";
    public const string Storage = "EccoStudio.Storage";
    public const string Bridge = "EccoStudio.Bridge";
    public const string Alerts = "EccoStudio.Alerts";
    public const string Maintenance = "EccoStudio.Maintenance";

    /// <summary>Drift the backstops found and repaired (meter owned by src/Storage/Consistency).</summary>
    public const string Convergence = "EccoStudio.Convergence";

    /// <summary>The embedded engine's work items per worker (meter owned by src/Engine; absent in the Functions app).</summary>
    public const string Engine = "EccoStudio.Engine";

    /// <summary>The Durable Task SDK's source (client create_orchestration, orchestration and activity spans).</summary>
    public const string DurableTask = "Microsoft.DurableTask";

    /// <summary>
    /// Set on an outgoing request whose URL may carry a secret (alert webhooks): its client span records only
    /// scheme, host and port.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> RedactUrl = new("ecco.redact-url");

    /// <summary>Our meters.</summary>
    public static IReadOnlyList<string> Meters { get; } = [Writes, Storage, Bridge, Alerts, Maintenance, Convergence, Engine];

    /// <summary>Our activity sources plus the Durable Task SDK's.</summary>
    public static IReadOnlyList<string> Sources { get; } = [Writes, Storage, DurableTask];
}
