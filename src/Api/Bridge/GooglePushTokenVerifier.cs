using EccoStudio.Api.Configuration;
using Google.Apis.Auth;
using Microsoft.Extensions.Options;

namespace EccoStudio.Api.Bridge;

/// <summary>
/// Verifies the Google-signed OIDC token Pub/Sub puts on push requests with Google.Apis.Auth
/// (<see cref="GoogleJsonWebSignature.ValidateAsync(string, GoogleJsonWebSignature.ValidationSettings)"/>: RS256 signature
/// against Google's keys, issuer, expiry, audience), then that the verified email is the configured service account.
/// </summary>
public sealed class GooglePushTokenVerifier(IOptions<PubSubBridgeOptions> options, GoogleKeySource keys) : IPushTokenVerifier
{
    public async Task<string> VerifyAsync(string? authorizationHeader, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.Audience))
        {
            throw new PushAuthenticationException("The bridge has no audience configured (Ecco:PubSub:Audience); pushes cannot be verified.");
        }

        if (authorizationHeader is null || !authorizationHeader.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            throw new PushAuthenticationException("The push carries no bearer token.");
        }

        var token = authorizationHeader["Bearer ".Length..].Trim();
        GoogleJsonWebSignature.Payload payload;
        try
        {
            payload = await GoogleJsonWebSignature.ValidateAsync(token, new GoogleJsonWebSignature.ValidationSettings
            {
                Audience = [settings.Audience],
                HttpClientFactory = keys.HttpClientFactory,
                // A custom key source never shares Google.Apis.Auth's process-wide key cache (keyed by URL only): its keys
                // must not serve Google's tokens, nor Google's cached keys its tokens.
                ForceGoogleCertRefresh = settings.ForceCertificateRefresh || keys.HttpClientFactory is not null,
                IssuedAtClockTolerance = TimeSpan.FromMinutes(1),
                ExpirationTimeClockTolerance = TimeSpan.FromMinutes(1),
            });
        }
        catch (InvalidJwtException e)
        {
            throw new PushAuthenticationException("The push token is not valid: " + e.Message, e);
        }
        catch (FormatException e)
        {
            throw new PushAuthenticationException("The push token is malformed.", e);
        }
        catch (ArgumentException e)
        {
            throw new PushAuthenticationException("The push token is malformed.", e);
        }
        catch (Newtonsoft.Json.JsonException e)
        {
            throw new PushAuthenticationException("The push token is malformed.", e);
        }

        if (!string.IsNullOrEmpty(settings.ServiceAccountEmail)
            && (!payload.EmailVerified || !string.Equals(payload.Email, settings.ServiceAccountEmail, StringComparison.OrdinalIgnoreCase)))
        {
            throw new PushAuthenticationException("The push token was not issued to the configured service account.");
        }

        return payload.Email ?? payload.Subject ?? "unknown";
    }
}
