namespace EccoStudio.Api.Bridge;

/// <summary>A push whose OIDC token is missing, malformed, forged, expired or for someone else (401).</summary>
public sealed class PushAuthenticationException : Exception
{
    public PushAuthenticationException(string message)
        : base(message)
    {
    }

    public PushAuthenticationException()
        : this("The push is not authenticated.")
    {
    }

    public PushAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
