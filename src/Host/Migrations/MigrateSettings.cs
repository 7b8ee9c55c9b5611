namespace EccoStudio.Host.Migrations;

/// <summary>What <c>migrate</c> was asked to do (the parsed command line).</summary>
public sealed record MigrateSettings
{
    public string Env { get; init; } = "dev";

    /// <summary>Entity kind by envelope name (<c>venture</c>).</summary>
    public string Entity { get; init; } = string.Empty;

    /// <summary>The target schema version (normalised, <c>1.1.0</c>).</summary>
    public string To { get; init; } = string.Empty;

    /// <summary>Snapshots per page (the activities one page runs at once).</summary>
    public int PageSize { get; init; } = 50;

    /// <summary>Pages at once.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>Who asks (kept in the migration record).</summary>
    public string RequestedBy { get; init; } = "ops";

    public Uri? Gcs { get; init; } = new("http://127.0.0.1:4443/");

    public string Bucket { get; init; } = Storage.Layout.StorageLayoutOptions.DefaultBucket;

    public string? SchemasFolder { get; init; }
}
