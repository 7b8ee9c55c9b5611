namespace EccoStudio.Host.Analytics;

/// <summary>What <c>analytics export</c> was asked to do (the parsed command line).</summary>
public sealed record AnalyticsExportSettings
{
    public string Env { get; init; } = "dev";

    /// <summary>Entity kinds by envelope name (<c>venture</c>); empty = all 19.</summary>
    public IReadOnlyList<string> Entities { get; init; } = [];

    /// <summary>Folder the <c>{entity}.ndjson</c> files go in (created when missing).</summary>
    public string To { get; init; } = string.Empty;

    /// <summary>GCS emulator endpoint; null = Google Cloud Storage with application default credentials.</summary>
    public Uri? Gcs { get; init; } = new("http://127.0.0.1:4443/");

    public string Bucket { get; init; } = Storage.Layout.StorageLayoutOptions.DefaultBucket;
}
