using EccoStudio.Activities.Alerts;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Rules;
using EccoStudio.Storage.Store;

namespace EccoStudio.Activities;

/// <summary>Settings of the durable write path (storage, schemas, retries, batch, alerts). Bindable from configuration.</summary>
public sealed class WritePathOptions
{
    public const string SectionName = "WritePath";

    /// <summary>Bucket layout.</summary>
    public StorageLayoutOptions Layout { get; set; } = new();

    /// <summary>Object store tuning (retries inside one storage call, gzip threshold).</summary>
    public ObjectStoreOptions Store { get; set; } = new();

    /// <summary>GCS emulator endpoint (e.g. http://127.0.0.1:4443/); null = production or STORAGE_EMULATOR_HOST.</summary>
    public Uri? EmulatorEndpoint { get; set; }

    /// <summary>Folder with <c>{entity}/v*.schema.json</c>; null = the schemas published in the bucket.</summary>
    public string? SchemasFolder { get; set; }

    /// <summary>Index definitions file; null = <c>schemas/indices.json</c> found above the app folder.</summary>
    public string? IndicesFile { get; set; }

    /// <summary>Retry policy of every write step.</summary>
    public StepRetryOptions Retry { get; set; } = new();

    /// <summary>Most sub-orchestrations a batch runs at once.</summary>
    public int BatchParallelism { get; set; } = 16;

    /// <summary>Entries per manifest shard.</summary>
    public int ManifestShardSize { get; set; } = 1000;

    /// <summary>
    /// How long the rules targeting an entity kind are reused between writes (0 = read them on every write).
    /// A rule written through this process takes effect at once; through another process, within this time.
    /// </summary>
    public TimeSpan RulesCacheTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Webhook delivery.</summary>
    public AlertDeliveryOptions Alerts { get; set; } = new();

    /// <summary>
    /// Alert destinations when the write path is composed on its own (engine-only hosts, tests); the HTTP hosts bind
    /// them from <c>Ecco:Alerts</c> (<see cref="WebhookOptions"/>) and that catalog wins.
    /// </summary>
    public WebhookOptions Webhooks { get; set; } = new();
}

/// <summary>Per-activity retry: bounded attempts, exponential backoff; only transient failures are retried.</summary>
public sealed class StepRetryOptions
{
    public int MaxAttempts { get; set; } = 5;

    public TimeSpan FirstRetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    public double BackoffCoefficient { get; set; } = 2.0;

    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromSeconds(30);
}
