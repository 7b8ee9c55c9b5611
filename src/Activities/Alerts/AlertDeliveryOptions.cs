namespace EccoStudio.Activities.Alerts;

/// <summary>Webhook delivery settings (named HttpClient <see cref="HttpClientName"/>).</summary>
public sealed class AlertDeliveryOptions
{
    /// <summary>The IHttpClientFactory client name used for webhooks.</summary>
    public const string HttpClientName = "ecco-alerts";

    /// <summary>POST attempts inside one activity run (transient, definitely-not-delivered failures only).</summary>
    public int MaxPostAttempts { get; set; } = 3;

    /// <summary>Delay before the second attempt; doubled for each further one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Per-request timeout. A timeout is ambiguous (the receiver may have the alert): never re-posted.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>TCP connect timeout (a refused or unreachable destination is "not delivered": retried).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
