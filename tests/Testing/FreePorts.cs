using System.Net;
using System.Net.Sockets;

namespace EccoStudio.Testing;

/// <summary>Free loopback TCP ports for child processes and receivers a test starts (the one copy tests use).</summary>
public static class FreePorts
{
    /// <summary>A port nothing listens on right now (the OS picks it; another process could still take it before use).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
