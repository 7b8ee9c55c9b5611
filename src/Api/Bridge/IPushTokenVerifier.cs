namespace EccoStudio.Api.Bridge;

/// <summary>Checks the <c>Authorization: Bearer</c> OIDC token of a push; throws <see cref="PushAuthenticationException"/>.</summary>
public interface IPushTokenVerifier
{
    /// <summary>The verified identity (the token's email), or throws.</summary>
    Task<string> VerifyAsync(string? authorizationHeader, CancellationToken cancellationToken);
}
