using System.Diagnostics.Metrics;

namespace EccoStudio.Telemetry;

/// <summary>Owner of compaction and consistency-check instruments (meter <c>EccoStudio.Maintenance</c>).</summary>
public static class MaintenanceTelemetry
{
    public static readonly Meter Meter = new(EccoTelemetryNames.Maintenance);

    /// <summary>Manifest compactions finished (ecco.outcome = published | superseded).</summary>
    public static readonly Counter<long> Compactions = Meter.CreateCounter<long>("ecco.compaction.runs", "{run}", "Manifest compactions");

    public static readonly Counter<long> CompactedEntries = Meter.CreateCounter<long>("ecco.compaction.entries", "{entry}", "Manifest entries written by compactions");

    /// <summary>Entities a schema migration rewrote or could not (ecco.env, ecco.entity, ecco.outcome = migrated | failed).</summary>
    public static readonly Counter<long> MigratedEntities = Meter.CreateCounter<long>("ecco.migration.entities", "{entity}", "Entities rewritten by schema migrations");

    /// <summary>Consistency checks run (ecco.outcome = consistent | drift).</summary>
    public static readonly Counter<long> VerifyRuns = Meter.CreateCounter<long>("ecco.verify.runs", "{run}", "Consistency checks");

    /// <summary>Entities found drifted by a check (ecco.env, ecco.entity).</summary>
    public static readonly Counter<long> DriftFound = Meter.CreateCounter<long>("ecco.verify.drift", "{entity}", "Entities found drifted");
}
