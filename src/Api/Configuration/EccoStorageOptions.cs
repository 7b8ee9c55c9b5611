using EccoStudio.Storage.Layout;

namespace EccoStudio.Api.Configuration;

/// <summary>Where the data lives (section <c>Ecco:Storage</c>).</summary>
public sealed class EccoStorageOptions
{
    public const string SectionName = "Ecco:Storage";

    /// <summary>The bucket in single-bucket mode.</summary>
    public string Bucket { get; set; } = StorageLayoutOptions.DefaultBucket;

    /// <summary><see cref="BucketMode.SingleBucket"/> (default) or <see cref="BucketMode.BucketPerEnvironment"/>.</summary>
    public BucketMode Mode { get; set; } = BucketMode.SingleBucket;

    /// <summary>Per-environment mode: bucket name pattern, <c>{env}</c> replaced.</summary>
    public string PerEnvironmentBucketPattern { get; set; } = StorageLayoutOptions.DefaultBucket + "-{env}";

    /// <summary>GCP project (bucket creation by tools; not needed for object access).</summary>
    public string? ProjectId { get; set; }

    /// <summary>
    /// A GCS emulator endpoint (<c>http://127.0.0.1:4443/</c> or <c>127.0.0.1:4443</c>); empty = Google Cloud Storage
    /// with application default credentials (or <c>STORAGE_EMULATOR_HOST</c>).
    /// </summary>
    public string? EmulatorHost { get; set; }

    /// <summary>Where schemas are read from: <c>bucket</c> (published under <c>env/{env}/schemas/</c>, default) or <c>folder</c>.</summary>
    public string SchemaSource { get; set; } = "bucket";

    /// <summary>The repo's <c>schemas/</c> folder (index definitions, folder schema source); found by walking up when empty.</summary>
    public string? SchemasFolder { get; set; }

    public StorageLayoutOptions ToLayout() => new()
    {
        Mode = Mode,
        BucketName = Bucket,
        PerEnvironmentBucketPattern = PerEnvironmentBucketPattern,
    };

    /// <summary>The emulator base URI, or null for production.</summary>
    public Uri? EmulatorUri()
    {
        if (string.IsNullOrWhiteSpace(EmulatorHost))
        {
            return null;
        }

        var text = EmulatorHost.Contains("://", StringComparison.Ordinal) ? EmulatorHost : "http://" + EmulatorHost;
        return new Uri(text.EndsWith('/') ? text : text + "/");
    }
}
