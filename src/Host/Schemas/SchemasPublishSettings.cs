namespace EccoStudio.Host.Schemas;

/// <summary>What <c>schemas publish</c> was asked to do.</summary>
public sealed record SchemasPublishSettings
{
    public required string Env { get; init; }

    public required string Bucket { get; init; }

    /// <summary>GCS emulator endpoint; null = Google Cloud Storage.</summary>
    public Uri? Gcs { get; init; }

    public string? SchemasFolder { get; init; }
}
