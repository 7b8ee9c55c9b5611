namespace EccoStudio.Storage.Store;

/// <summary>The object was replaced between reading its metadata and its bytes; the read is retried.</summary>
public sealed class ObjectChangedDuringReadException : Exception
{
    public ObjectChangedDuringReadException(string bucket, string name)
        : base($"gs://{bucket}/{name} changed while being read.")
    {
        Bucket = bucket;
        Name = name;
    }

    public ObjectChangedDuringReadException()
        : this(string.Empty, string.Empty)
    {
    }

    public ObjectChangedDuringReadException(string message)
        : base(message)
    {
        Bucket = string.Empty;
        Name = string.Empty;
    }

    public ObjectChangedDuringReadException(string message, Exception innerException)
        : base(message, innerException)
    {
        Bucket = string.Empty;
        Name = string.Empty;
    }

    public string Bucket { get; }

    public string Name { get; }
}
