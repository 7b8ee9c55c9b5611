namespace EccoStudio.Host.Restore;

/// <summary>What <c>restore</c> was asked to do (the parsed command line).</summary>
public sealed record RestoreSettings
{
    public string Env { get; init; } = "dev";

    /// <summary>Entity kind by envelope name (<c>venture</c>); null = the whole environment.</summary>
    public string? Entity { get; init; }

    /// <summary>One entity's id (needs <see cref="Entity"/>); null = every entity in scope.</summary>
    public string? Id { get; init; }

    /// <summary>The time to bring the scope back to.</summary>
    public DateTimeOffset AsOf { get; init; }

    /// <summary>False = print the plan only.</summary>
    public bool Apply { get; init; }

    /// <summary>GCS emulator endpoint; null = Google Cloud Storage with application default credentials.</summary>
    public Uri? Gcs { get; init; } = new("http://127.0.0.1:4443/");

    public string Bucket { get; init; } = Storage.Layout.StorageLayoutOptions.DefaultBucket;

    /// <summary>The repo's <c>schemas/</c> folder (index definitions for the verify that ends a restore); null = found above the program.</summary>
    public string? SchemasFolder { get; init; }

    /// <summary>Objects restored at once.</summary>
    public int Parallelism { get; init; } = 16;
}
