namespace EccoStudio.Storage.Schemas;

/// <summary>No schema is published for this entity and schema_version.</summary>
public sealed class UnknownSchemaVersionException : StorageModelException
{
    public UnknownSchemaVersionException(string entity, string schemaVersion)
        : base($"No schema for {entity} v{schemaVersion}.")
    {
        Entity = entity;
        SchemaVersion = schemaVersion;
    }

    public UnknownSchemaVersionException()
        : this(string.Empty, string.Empty)
    {
    }

    public UnknownSchemaVersionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Entity = SchemaVersion = string.Empty;
    }

    public string Entity { get; }

    public string SchemaVersion { get; }
}
