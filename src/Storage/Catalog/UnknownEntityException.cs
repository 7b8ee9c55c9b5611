namespace EccoStudio.Storage.Catalog;

/// <summary>An entity name or prefix that is not in the catalog.</summary>
public sealed class UnknownEntityException : StorageModelException
{
    public UnknownEntityException(string entity)
        : base($"Unknown entity '{entity}'.") => Entity = entity;

    public UnknownEntityException()
        : this(string.Empty)
    {
    }

    public UnknownEntityException(string message, Exception innerException)
        : base(message, innerException) => Entity = string.Empty;

    public string Entity { get; }
}
