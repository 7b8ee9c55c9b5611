namespace EccoStudio.GcsEmulator.Faults;

/// <summary>
/// What the emulator injects. All rates are fractions in [0,1]; everything is off by default.
/// Switchable per run (program flags / <see cref="GcsEmulatorOptions"/>) and at runtime (admin endpoint).
/// </summary>
public sealed class FaultSettings
{
    public double Rate503 { get; set; }
    public double Rate429 { get; set; }
    public double RateDrop { get; set; }
    public double LatencyRate { get; set; }
    public int LatencyMs { get; set; }
    /// <summary>Only requests with this HTTP method (GET, POST, PUT, PATCH, DELETE); null = all.</summary>
    public string? Method { get; set; }
    /// <summary>Only requests on objects whose name starts with this prefix; null = all.</summary>
    public string? ObjectPrefix { get; set; }
    /// <summary>GCS's per-object mutation limit: at most one mutation per object name per second, else 429.</summary>
    public bool PerObjectMutationLimit { get; set; }
    /// <summary>Seed for reproducible fault sequences; null = random.</summary>
    public int? Seed { get; set; }
}
