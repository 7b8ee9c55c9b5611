namespace EccoStudio.Storage.Naming;

/// <summary>An id, index key or environment that breaks the documented rules; carries the offending value.</summary>
public sealed class InvalidIdentifierException : StorageModelException
{
    public InvalidIdentifierException(IdentifierKind kind, string? value, string reason)
        : base($"Invalid {kind} '{Describe(value)}': {reason}.")
    {
        Kind = kind;
        Value = value;
        Reason = reason;
    }

    public InvalidIdentifierException()
        : this(IdentifierKind.Id, null, "unspecified")
    {
    }

    public InvalidIdentifierException(string message)
        : base(message) => Reason = message;

    public InvalidIdentifierException(string message, Exception innerException)
        : base(message, innerException) => Reason = message;

    public IdentifierKind Kind { get; }

    public string? Value { get; }

    public string Reason { get; }

    private static string Describe(string? value) =>
        value is null ? "<null>" : string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
