namespace EccoStudio.Storage.Store;

/// <summary>HTTP 412: the object's generation/metageneration was not the one expected. An answer, not a fault.</summary>
public sealed class PreconditionFailedException : Exception
{
    public PreconditionFailedException(string bucket, string name, long? expectedGeneration, long? expectedMetageneration, Exception? inner = null)
        : base($"Precondition failed for gs://{bucket}/{name} (ifGenerationMatch={expectedGeneration?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, ifMetagenerationMatch={expectedMetageneration?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}).", inner)
    {
        Bucket = bucket;
        Name = name;
        ExpectedGeneration = expectedGeneration;
        ExpectedMetageneration = expectedMetageneration;
    }

    public PreconditionFailedException()
        : this(string.Empty, string.Empty, null, null)
    {
    }

    public PreconditionFailedException(string message)
        : base(message)
    {
        Bucket = string.Empty;
        Name = string.Empty;
    }

    public PreconditionFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Bucket = string.Empty;
        Name = string.Empty;
    }

    public string Bucket { get; }

    public string Name { get; }

    public long? ExpectedGeneration { get; }

    public long? ExpectedMetageneration { get; }
}
