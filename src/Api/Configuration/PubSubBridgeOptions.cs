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

    /// <summary>
    /// The service account the push subscription signs as; the token's verified email must equal it. Required while
    /// <see cref="VerifyToken"/> is on: without it any Google-signed token for the audience would pass.
    /// </summary>
    public string? ServiceAccountEmail { get; set; }

    /// <summary>
    /// Local host with an API key and verification off: a secret the bridge also accepts instead of the key (header
    /// <c>x-ecco-bridge-secret</c> or <c>?secret=</c>: the Pub/Sub emulator's push can only carry it in the URL). The
    /// dev host generates one per process when it wires the emulator. It only lets a caller ask for reconciles.
    /// </summary>
    public string? BridgeSecret { get; set; }

    /// <summary>Refetch Google's signing keys on every verification (tests that rotate keys).</summary>
    public bool ForceCertificateRefresh { get; set; }
}
