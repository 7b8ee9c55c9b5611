namespace EccoStudio.Storage.Staging;

/// <summary>A staged object that is missing or does not hold what was staged: the write cannot go on (not transient).</summary>
public sealed class StagedDocumentException : StorageModelException
{
    public StagedDocumentException(string objectName, string problem)
        : base($"The staged object {objectName} {problem}.")
    {
        ObjectName = objectName;
    }

    public StagedDocumentException()
        : this(string.Empty, "is unusable")
    {
    }

    public StagedDocumentException(string message, Exception innerException)
        : base(message, innerException)
    {
        ObjectName = string.Empty;
    }

    public string ObjectName { get; }
}
