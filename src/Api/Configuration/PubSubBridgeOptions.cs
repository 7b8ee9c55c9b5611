namespace EccoStudio.Api.Configuration;

/// <summary>The Pub/Sub push bridge (section <c>Ecco:PubSub</c>).</summary>
public sealed class PubSubBridgeOptions
{
    public const string SectionName = "Ecco:PubSub";

    /// <summary>
    /// Verify the Google-signed OIDC token of every push (default true). Only an explicit local configuration turns
    /// it off (the Pub/Sub emulator sends no token); the local host logs loudly when it is off.
    /// </summary>
    public bool VerifyToken { get; set; } = true;

    /// <summary>The audience the push subscription puts in its tokens (default there: the push endpoint URL).</summary>
    public string? Audience { get; set; }

    /// <summary>The service account the push subscription signs as; when set, the token's verified email must equal it.</summary>
    public string? ServiceAccountEmail { get; set; }

    /// <summary>Refetch Google's signing keys on every verification (tests that rotate keys).</summary>
    public bool ForceCertificateRefresh { get; set; }
}
