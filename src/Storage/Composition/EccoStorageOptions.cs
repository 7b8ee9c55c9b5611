using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Composition;

/// <summary>
/// Where the data lives and how it is reached (section <c>Ecco:Storage</c>): the one set of storage settings every
/// host, command and benchmark composes through <see cref="StorageServiceCollectionExtensions.AddEccoStorage(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>.
/// </summary>
public sealed class EccoStorageOptions
{
    public const string SectionName = "Ecco:Storage";

    /// <summary>Value of <see cref="SchemaSource"/> that reads schemas from <see cref="SchemasFolder"/>.</summary>
    public const string FolderSchemaSourceName = "folder";

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
    /// with application default credentials. A <c>STORAGE_EMULATOR_HOST</c> in the environment is then refused at
    /// start unless <see cref="AllowEmulatorHost"/>.
    /// </summary>
    public string? EmulatorHost { get; set; }

    /// <summary>Honour <c>STORAGE_EMULATOR_HOST</c> (default false: its presence stops the start, see docs/security.md).</summary>
    public bool AllowEmulatorHost { get; set; }

    /// <summary>
    /// A credential configuration file for Google Cloud Storage (a service account key, or the <c>external_account</c>
    /// configuration of workload identity federation); empty = the file <c>GOOGLE_APPLICATION_CREDENTIALS</c> names,
    /// else gcloud's login or the metadata server. Ignored with <see cref="EmulatorHost"/>.
    /// </summary>
    public string? CredentialsFile { get; set; }

    /// <summary>
    /// Audit retention of history objects (spec §8): days of GCS Object Retention set on every new history object;
    /// 0 (default) = off. The bucket must have Object Retention Lock (docs/operations.md "History audit retention").
    /// </summary>
    public int HistoryRetentionDays { get; set; }

    /// <summary><c>Unlocked</c> (default: an admin may lift it, e.g. for an erasure) or <c>Locked</c> (nobody can shorten it).</summary>
    public string HistoryRetentionMode { get; set; } = RetentionConfig.Unlocked;

    /// <summary>Where schemas are read from: <c>bucket</c> (published under <c>env/{env}/schemas/</c>, default) or <c>folder</c>.</summary>
    public string SchemaSource { get; set; } = "bucket";

    /// <summary>The repo's <c>schemas/</c> folder (index definitions, folder schema source); found by walking up when empty.</summary>
    public string? SchemasFolder { get; set; }

    /// <summary>Object store tuning (retries inside one storage call, gzip threshold, upload split).</summary>
    public ObjectStoreOptions Store { get; set; } = new();

    /// <summary>Timing of manifest change markers (<c>Ecco:Storage:ManifestChanges:Margin</c>, <c>…:AbsentIndexTtl</c>); the same in every process on a bucket.</summary>
    public Manifests.ManifestChangeOptions ManifestChanges { get; set; } = new();

    public bool ReadsSchemasFromFolder => string.Equals(SchemaSource, FolderSchemaSourceName, StringComparison.OrdinalIgnoreCase);

    public StorageLayoutOptions ToLayout() => new()
    {
        Mode = Mode,
        BucketName = Bucket,
        PerEnvironmentBucketPattern = PerEnvironmentBucketPattern,
    };

    /// <summary><see cref="SchemasFolder"/>, or the first <c>schemas/indices.json</c> above the app's base directory.</summary>
    public string ResolveSchemasFolder() =>
        string.IsNullOrWhiteSpace(SchemasFolder) ? FolderSchemaSource.FindRepoSchemas() : SchemasFolder;

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
