namespace EccoStudio.Activities.Alerts;

/// <summary>A webhook could not be reached or answered 408/429/5xx on every attempt of one run (transient: retried).</summary>
public sealed class AlertDeliveryException : Exception
{
    public AlertDeliveryException(string dedupeKey, string message)
        : base($"Alert {dedupeKey}: {message}") => DedupeKey = dedupeKey;

    public AlertDeliveryException()
        : this(string.Empty, "delivery failed")
    {
    }

    public AlertDeliveryException(string message, Exception innerException)
        : base(message, innerException) => DedupeKey = string.Empty;

    public string DedupeKey { get; }
}
