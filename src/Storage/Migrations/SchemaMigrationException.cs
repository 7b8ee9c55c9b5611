namespace EccoStudio.Storage.Migrations;

/// <summary>
/// A migration file that cannot be used (format, versions, chain), or a change whose schema_version no declared
/// migration leads from to the latest version of its entity.
/// </summary>
public sealed class SchemaMigrationException : StorageModelException
{
    public SchemaMigrationException()
    {
    }

    public SchemaMigrationException(string message)
        : base(message)
    {
    }

    public SchemaMigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
