namespace EccoStudio.Storage.Layout;

/// <summary>Where objects live. Object names are the same in both modes (always <c>env/{env}/...</c>).</summary>
public sealed record StorageLayoutOptions
{
    public const string DefaultBucket = "ecco-studio-platform-data";

    public BucketMode Mode { get; init; } = BucketMode.SingleBucket;

    /// <summary>The bucket in single-bucket mode.</summary>
    public string BucketName { get; init; } = DefaultBucket;

    /// <summary>Per-environment mode: bucket name pattern, <c>{env}</c> replaced.</summary>
    public string PerEnvironmentBucketPattern { get; init; } = DefaultBucket + "-{env}";
}
