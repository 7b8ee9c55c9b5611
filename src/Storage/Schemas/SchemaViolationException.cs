namespace EccoStudio.Storage.Schemas;

/// <summary>A document that does not validate against its declared schema; carries every error.</summary>
public sealed class SchemaViolationException : StorageModelException
{
    public SchemaViolationException(string entity, string? id, string schemaVersion, IReadOnlyList<SchemaError> errors)
        : base($"{entity} '{id}' violates schema v{schemaVersion}: {string.Join("; ", errors)}")
    {
        Entity = entity;
        Id = id;
        SchemaVersion = schemaVersion;
        Errors = errors;
    }

    public SchemaViolationException()
        : this(string.Empty, null, string.Empty, [])
    {
    }

    public SchemaViolationException(string message)
        : base(message)
    {
        Entity = SchemaVersion = string.Empty;
        Errors = [];
    }

    public SchemaViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Entity = SchemaVersion = string.Empty;
        Errors = [];
    }

    public string Entity { get; }

    public string? Id { get; }

    public string SchemaVersion { get; }

    public IReadOnlyList<SchemaError> Errors { get; }
}
