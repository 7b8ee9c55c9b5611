namespace EccoStudio.Storage.Writes;

/// <summary>A create-only history object already exists with different content: a real conflict, not a retry.</summary>
public sealed class WriteConflictException : Exception
{
    public WriteConflictException(string objectName)
        : base($"{objectName} already exists with different content.") => ObjectName = objectName;

    public WriteConflictException()
        : this(string.Empty)
    {
    }

    public WriteConflictException(string message, Exception innerException)
        : base(message, innerException) => ObjectName = string.Empty;

    public string ObjectName { get; }
}
