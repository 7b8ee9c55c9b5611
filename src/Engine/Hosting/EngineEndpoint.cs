using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;

namespace EccoStudio.Engine.Hosting;

/// <summary>
/// The loopback address of the gRPC sidecar and the one channel the worker and the client share.
/// The port is fixed when this object is created (free port when not configured), so the channel can be
/// handed to the worker and client before the sidecar listens; gRPC channels connect lazily. The channel sends this
/// process's <see cref="SidecarToken"/> on every call; the sidecar refuses calls without it.
/// </summary>
public sealed class EngineEndpoint : IDisposable
{
    /// <summary>Creates the endpoint from the engine options.</summary>
    public EngineEndpoint(IOptions<DurableEngineOptions> options)
    {
        Port = options.Value.SidecarPort > 0 ? options.Value.SidecarPort : FindFreePort();
        Address = new Uri($"http://127.0.0.1:{Port}");
        Channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions { HttpHandler = new SidecarToken.Handler(Token), DisposeHttpClient = true });
    }

    /// <summary>The secret the sidecar requires of every call.</summary>
    public SidecarToken Token { get; } = new();

    /// <summary>The loopback port the sidecar listens on.</summary>
    public int Port { get; }

    /// <summary>http://127.0.0.1:port (HTTP/2 without TLS).</summary>
    public Uri Address { get; }

    /// <summary>The channel the worker and client use.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>Asks the OS for a free loopback port.</summary>
    public static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <inheritdoc />
    public void Dispose() => Channel.Dispose();
}
