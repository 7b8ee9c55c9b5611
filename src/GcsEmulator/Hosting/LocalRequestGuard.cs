using System.Net;

namespace EccoStudio.GcsEmulator.Hosting;

/// <summary>
/// Keeps web pages out of a local emulator that has no authentication: a request whose <c>Origin</c> is not the
/// emulator's own (a page the developer visits could otherwise upload objects or <c>POST /_emulator/reset</c>), or
/// whose <c>Host</c> is not a loopback name or address (DNS rebinding: evil.example resolving to 127.0.0.1), is
/// refused with 403. SDKs and CLIs (gcloud, the .NET and Node clients) send no Origin and a loopback Host, so they
/// are unaffected. Off when the emulator deliberately listens on a non-loopback address (see
/// <see cref="GcsEmulatorOptions.AllowRemoteHosts"/>).
/// </summary>
public static class LocalRequestGuard
{
    /// <summary>Null when the request may proceed; else why not.</summary>
    public static string? Check(HttpRequest request)
    {
        if (!IsLoopbackHost(request.Host.Host))
        {
            return "Host is not a loopback name or address";
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return null;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var parsed)
            && IsLoopbackHost(parsed.Host)
            && parsed.Port == (request.Host.Port ?? (request.IsHttps ? 443 : 80))
            && parsed.Scheme == request.Scheme
                ? null
                : "cross-origin requests are not accepted";
    }

    private static bool IsLoopbackHost(string host)
    {
        host = host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
