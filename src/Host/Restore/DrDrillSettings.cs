namespace EccoStudio.Host.Restore;

/// <summary>What <c>dr-drill</c> was asked to do (the parsed command line).</summary>
public sealed record DrDrillSettings
{
    public string Env { get; init; } = "dev";

    /// <summary>The time to restore as of; null = now.</summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>Scratch bucket the env is restored into (created, versioned, when absent); null = <c>{bucket}-drill-{utc time}</c>.</summary>
    public string? ScratchBucket { get; init; }

    /// <summary>Project a new scratch bucket is created in.</summary>
    public string Project { get; init; } = "ecco-local";

    public Uri? Gcs { get; init; } = new("http://127.0.0.1:4443/");

    /// <summary>The live bucket (only read).</summary>
    public string Bucket { get; init; } = Storage.Layout.StorageLayoutOptions.DefaultBucket;

    public string? SchemasFolder { get; init; }

    public int Parallelism { get; init; } = 16;
}
