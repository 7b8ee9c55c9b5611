namespace EccoStudio.Activities.Alerts;

/// <summary>
/// The webhook's host resolved only to addresses alerts may not reach (loopback, private, link-local, …): thrown by the
/// connect-time check, so a DNS answer that changed after the rule was accepted is refused too. Final, not retried.
/// </summary>
public sealed class WebhookDestinationRefusedException : Exception
{
    public WebhookDestinationRefusedException(string host)
        : base($"webhook host '{host}' resolves only to non-public addresses; refused") => Host = host;

    public WebhookDestinationRefusedException()
        : this(string.Empty)
    {
    }

    public WebhookDestinationRefusedException(string message, Exception innerException)
        : base(message, innerException) => Host = string.Empty;

    public string Host { get; }
}
