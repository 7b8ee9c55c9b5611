using System.Net;
using System.Net.Sockets;
using EccoStudio.Storage.Rules;

namespace EccoStudio.Activities.Alerts;

/// <summary>
/// The only handler webhook POSTs go through. It connects itself (<see cref="SocketsHttpHandler.ConnectCallback"/>):
/// the host is resolved and only public addresses (<see cref="NetworkAddresses"/>) are dialled, so a name that
/// resolves to 127.0.0.1, 10.x, 169.254.169.254 … is refused at connect time whatever it resolved to when the rule
/// was written (DNS rebinding). Loopback is dialled only for loopback IP literals when the catalog allows local
/// receivers. No redirects, no proxy (it would dial for us), bounded connect time and response headers; callers
/// read headers only (<see cref="HttpCompletionOption.ResponseHeadersRead"/>) and never the body.
/// </summary>
public static class WebhookHttpHandler
{
    /// <summary>Resolves a host name to addresses (tests substitute a resolver to play a rebinding DNS).</summary>
    public delegate Task<IPAddress[]> Resolver(string host, CancellationToken cancellationToken);

    public static SocketsHttpHandler Create(WebhookCatalog catalog, AlertDeliveryOptions options, Resolver? resolve = null)
    {
        resolve ??= Dns.GetHostAddressesAsync;
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = options.ConnectTimeout,
            MaxResponseHeadersLength = 16, // KiB
            MaxResponseDrainSize = 0,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var host = context.DnsEndPoint.Host;
                var literal = IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed : null;
                var addresses = literal is not null ? [literal] : await resolve(host, cancellationToken);
                var allowed = addresses.Where(a => NetworkAddresses.IsPublic(a)
                    || (catalog.AllowLoopbackHttp && literal is not null && IPAddress.IsLoopback(a) && !a.IsIPv4MappedToIPv6)).ToArray();
                if (allowed.Length == 0)
                {
                    throw new WebhookDestinationRefusedException(host);
                }

                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }
}
