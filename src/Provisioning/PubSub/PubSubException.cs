using System.Net;

namespace EccoStudio.Provisioning.PubSub;

/// <summary>A Pub/Sub REST call failed; names the resource and carries the API's status and message.</summary>
public sealed class PubSubException : Exception
{
    public PubSubException(string resource, HttpStatusCode status, string message)
        : base($"{resource}: {(int)status} {message}")
    {
        Resource = resource;
        Status = status;
    }

    public PubSubException()
    {
        Resource = string.Empty;
    }

    public PubSubException(string message)
        : base(message)
    {
        Resource = string.Empty;
    }

    public PubSubException(string message, Exception innerException)
        : base(message, innerException)
    {
        Resource = string.Empty;
    }

    public string Resource { get; }

    public HttpStatusCode Status { get; }
}
