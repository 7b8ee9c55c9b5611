namespace EccoStudio.Host.Deletes;

/// <summary>What <c>delete</c> was asked to do (the parsed command line).</summary>
public sealed record DeleteSettings
{
    public string Env { get; init; } = "dev";

    /// <summary>Entity kind by envelope name (<c>venture</c>).</summary>
    public string Entity { get; init; } = string.Empty;

    public string Id { get; init; } = string.Empty;

    /// <summary>Delete only while the snapshot is at this generation (the ETag of a read), as <c>If-Match</c>; null = whatever is current.</summary>
    public long? IfMatch { get; init; }

    /// <summary>Who deletes (the tombstone's <c>ecco-written-by</c>).</summary>
    public string DeletedBy { get; init; } = "ops";

    public Uri? Gcs { get; init; } = new("http://127.0.0.1:4443/");

    public string Bucket { get; init; } = Storage.Layout.StorageLayoutOptions.DefaultBucket;

    public string? SchemasFolder { get; init; }
}
