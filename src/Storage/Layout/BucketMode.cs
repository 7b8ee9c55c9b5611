namespace EccoStudio.Storage.Layout;

/// <summary>Spec §2: one bucket with env prefixes (default), or one bucket per environment.</summary>
public enum BucketMode
{
    SingleBucket,
    BucketPerEnvironment,
}
