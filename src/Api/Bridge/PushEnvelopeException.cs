namespace EccoStudio.Api.Bridge;

/// <summary>A push body that is not a Pub/Sub push envelope carrying a GCS notification (400: Pub/Sub retries, then dead-letters).</summary>
public sealed class PushEnvelopeException : Exception
{
    public PushEnvelopeException(string message)
        : base(message)
    {
    }

    public PushEnvelopeException()
        : this("Not a Pub/Sub push envelope.")
    {
    }

    public PushEnvelopeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
