namespace EccoStudio.Api.Instances;

/// <summary>
/// Check-status links on the local host's own management API, same shapes as Durable Functions
/// (<c>{eventName}</c> and <c>{text}</c> are placeholders the caller fills in, as there).
/// </summary>
public sealed class LocalStatusLinks(Uri baseUri) : IStatusLinks
{
    public CheckStatusPayload Create(string instanceId)
    {
        var instance = $"{baseUri.ToString().TrimEnd('/')}/{ManagementRoutes.Root}/{Uri.EscapeDataString(instanceId)}";
        return new CheckStatusPayload(
            instanceId,
            instance,
            instance + "/raiseEvent/{eventName}",
            instance + "/terminate?reason={text}",
            instance,
            instance + "/restart",
            instance + "/suspend?reason={text}",
            instance + "/resume?reason={text}");
    }

    /// <summary>The base URL of a request (<c>scheme://host[:port]/pathBase</c>).</summary>
    public static LocalStatusLinks For(Microsoft.AspNetCore.Http.HttpRequest request) =>
        new(new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/"));
}
