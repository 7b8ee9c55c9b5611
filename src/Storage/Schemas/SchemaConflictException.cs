namespace EccoStudio.Storage.Schemas;

/// <summary>A schema version is already published with different content.</summary>
public sealed class SchemaConflictException : Exception
{
    public SchemaConflictException(string objectName, string? existing)
        : base($"Schema {objectName} is already published with different content; a published version is immutable: bump the version (add a new vX.Y.Z.schema.json) instead.")
    {
        ObjectName = objectName;
        Existing = existing;
    }

    public SchemaConflictException()
        : this(string.Empty, (string?)null)
    {
    }

    public SchemaConflictException(string message, Exception innerException)
        : base(message, innerException) => ObjectName = string.Empty;

    public string ObjectName { get; }

    public string? Existing { get; }
}
