using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EccoStudio.Bench.Support;

/// <summary>
/// Azurite (the repo's pinned npm package, <c>node_modules/.bin/azurite</c>) on free loopback ports with a throw-away
/// data directory; killed (process tree) on dispose. Same approach as tests/Testing/AzuriteFixture.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;
    private readonly string _location;
    private readonly int[] _ports;

    private AzuriteProcess(Process process, string location, int[] ports)
    {
        _process = process;
        _location = location;
        _ports = ports;
    }

    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AccountKey + ";" +
        $"BlobEndpoint=http://127.0.0.1:{_ports[0]}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{_ports[1]}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{_ports[2]}/devstoreaccount1;";

    public static string Executable(string repoRoot) => Path.Combine(repoRoot, "node_modules", ".bin", "azurite");

    public static async Task<AzuriteProcess> StartAsync(string repoRoot)
    {
        var location = Path.Combine(Path.GetTempPath(), "ecco-bench-azurite-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(location);
        var ports = FreePorts(3);
        var start = new ProcessStartInfo(Executable(repoRoot))
        {
            WorkingDirectory = repoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            "--silent", "--location", location, "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", Str(ports[0]),
            "--queueHost", "127.0.0.1", "--queuePort", Str(ports[1]),
            "--tableHost", "127.0.0.1", "--tablePort", Str(ports[2]),
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new AzuriteProcess(process, location, ports);
        var deadline = Stopwatch.StartNew();
        foreach (var port in ports)
        {
            while (!await AcceptsAsync(port))
            {
                if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(30))
                {
                    await azurite.DisposeAsync();
                    throw new InvalidOperationException($"Azurite did not open port {port}.");
                }

                await Task.Delay(100);
            }
        }

        return azurite;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        catch (TimeoutException)
        {
            // best effort
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(1));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
