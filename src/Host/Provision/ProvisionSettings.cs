namespace EccoStudio.Host.Provision;

/// <summary>What <c>provision</c> was asked to do (the parsed command line).</summary>
public sealed record ProvisionSettings
{
    public required string Project { get; init; }

    public required string Bucket { get; init; }

    /// <summary>Environments overriding the config's; empty = the config's.</summary>
    public IReadOnlyList<string> Environments { get; init; } = [];

    /// <summary>The config file; null = the repo's deploy/gcp.json.</summary>
    public string? ConfigFile { get; init; }

    public bool Apply { get; init; }

    public bool AllowWeaken { get; init; }

    public string? KmsKey { get; init; }

    public string? PushEndpoint { get; init; }

    /// <summary>GCS emulator endpoint; null = Google Cloud Storage.</summary>
    public Uri? Gcs { get; init; }

    /// <summary>Pub/Sub emulator host:port or URL, or <c>production</c>.</summary>
    public string PubSub { get; init; } = "127.0.0.1:8085";

    public string? SchemasFolder { get; init; }
}
