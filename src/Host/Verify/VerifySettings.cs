using EccoStudio.Storage.Composition;

namespace EccoStudio.Host.Verify;

/// <summary>What <c>verify</c> was asked to do (the parsed command line).</summary>
public sealed record VerifySettings
{
    public string Env { get; init; } = "dev";

    /// <summary>Entity prefixes or envelope names (<c>ventures</c> or <c>venture</c>); empty = every kind.</summary>
    public IReadOnlyList<string> Entities { get; init; } = [];

    /// <summary>Start reconciles for drifted entities, then check again.</summary>
    public bool Repair { get; init; }

    /// <summary>GCS emulator endpoint; null = Google Cloud Storage with application default credentials.</summary>
    public Uri? Gcs { get; init; } = new("http://127.0.0.1:4443/");

    public string Bucket { get; init; } = Storage.Layout.StorageLayoutOptions.DefaultBucket;

    /// <summary>The repo's <c>schemas/</c> folder (index definitions); null = found above the program.</summary>
    public string? SchemasFolder { get; init; }

    public int MaxDifferences { get; init; } = 20;

    /// <summary>Most repair rounds (check → reconcile → check).</summary>
    public int MaxRounds { get; init; } = 3;

    /// <summary>The storage these settings name, for <c>AddEccoStorage</c> (schemas read from the folder).</summary>
    public void ApplyTo(EccoStorageOptions storage)
    {
        storage.Bucket = Bucket;
        storage.EmulatorHost = Gcs?.ToString();
        storage.SchemaSource = EccoStorageOptions.FolderSchemaSourceName;
        storage.SchemasFolder = SchemasFolder;
    }
}
