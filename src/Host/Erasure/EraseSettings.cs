namespace EccoStudio.Host.Erasure;

/// <summary>What <c>erase</c> was asked to do (the parsed command line).</summary>
public sealed record EraseSettings
{
    public string Env { get; init; } = "dev";

    /// <summary>Entity kind by envelope name (<c>talent</c>).</summary>
    public string Entity { get; init; } = string.Empty;

    public string Id { get; init; } = string.Empty;

    /// <summary>Why (kept in the erasure record).</summary>
    public string Reason { get; init; } = string.Empty;

    /// <summary>Who asked (kept in the erasure record).</summary>
    public string RequestedBy { get; init; } = "ops";

    public Uri? Gcs { get; init; } = new("http://127.0.0.1:4443/");

    public string Bucket { get; init; } = Storage.Layout.StorageLayoutOptions.DefaultBucket;

    public string? SchemasFolder { get; init; }

    /// <summary>Lift Unlocked object retention on the entity's history before deleting it (a Locked one still refuses).</summary>
    public bool OverrideUnlockedRetention { get; init; }
}
