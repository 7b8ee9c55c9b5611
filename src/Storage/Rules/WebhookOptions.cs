namespace EccoStudio.Storage.Rules;

/// <summary>
/// Where alerts may go (section <c>Ecco:Alerts</c>). Rules name a destination (<c>"webhook":"slack-ops"</c>); the URL
/// lives here, out of every document, log and record: in Azure an app setting holding a Key Vault reference
/// (<c>Ecco__Alerts__Webhooks__slack-ops=@Microsoft.KeyVault(SecretUri=…)</c>), on GCP a Secret Manager secret exposed
/// as an environment variable. See docs/security.md.
/// </summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Ecco:Alerts";

    /// <summary>Name → https URL. Names: 1..64 of a-z, 0-9, '-', '_' (starting with a letter or digit).</summary>
    public Dictionary<string, string> Webhooks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Host names a webhook URL may point at (exact match, case-insensitive; <c>*.example.com</c> matches subdomains).</summary>
    public List<string> AllowedHosts { get; set; } = ["hooks.slack.com"];

    /// <summary>
    /// Local development and tests only: also allow <c>http://127.0.0.1:PORT</c> / <c>http://[::1]:PORT</c> receivers
    /// (loopback literals, and nothing else non-public). The Functions app refuses to start with it on.
    /// </summary>
    public bool AllowLoopbackHttp { get; set; }
}
