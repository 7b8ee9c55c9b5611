namespace EccoStudio.Storage.Envelope;

/// <summary>A missing/ill-formed envelope field, or one that does not match the target (env, entity, id).</summary>
public sealed class EnvelopeException : StorageModelException
{
    public EnvelopeException(string field, string? value, string reason)
        : base($"Envelope field '{field}' = '{value ?? "<missing>"}': {reason}.")
    {
        Field = field;
        Value = value;
        Reason = reason;
    }

    public EnvelopeException()
        : this("?", null, "unspecified")
    {
    }

    public EnvelopeException(string message)
        : base(message)
    {
        Field = "?";
        Reason = message;
    }

    public EnvelopeException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "?";
        Reason = message;
    }

    public string Field { get; }

    public string? Value { get; }

    public string Reason { get; }
}
