namespace EccoStudio.Host.Dlq;

/// <summary>What <c>dlq replay</c> was asked to do.</summary>
public sealed record DlqReplaySettings
{
    public required string Project { get; init; }

    /// <summary>The pull subscription on the dead-letter topic.</summary>
    public string Subscription { get; init; } = "ecco-gcs-events-dead-letter-ops";

    public required string Bucket { get; init; }

    /// <summary>Environments whose objects may be reconciled.</summary>
    public IReadOnlyList<string> Environments { get; init; } = ["dev", "stg", "prod"];

    /// <summary>GCS emulator endpoint; null = Google Cloud Storage.</summary>
    public Uri? Gcs { get; init; }

    public string PubSub { get; init; } = "127.0.0.1:8085";

    /// <summary>Most messages handled in one run.</summary>
    public int Max { get; init; } = 1000;

    public string? SchemasFolder { get; init; }
}
