using EccoStudio.Storage.Layout;

namespace EccoStudio.Storage.Writes;

/// <summary>The entity has no live snapshot (never written, or deleted): nothing to delete or erase.</summary>
public sealed class EntityNotFoundException : StorageModelException
{
    public EntityNotFoundException(EntityTarget target)
        : base($"{target} does not exist (no snapshot).") => Target = target.ToString();

    /// <summary>Not found for a reason of the caller's own (e.g. an erasure finding no object of the entity).</summary>
    public EntityNotFoundException(EntityTarget target, string message)
        : base(message) => Target = target.ToString();

    public EntityNotFoundException()
    {
        Target = string.Empty;
    }

    public EntityNotFoundException(string message, Exception innerException)
        : base(message, innerException) => Target = string.Empty;

    public string Target { get; }
}
