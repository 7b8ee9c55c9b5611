using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EccoStudio.Engine.Azurite;

/// <summary>
/// Azurite (the Azure Storage emulator behind the durable backend) as a child process: the repository's pinned npm
/// package (<c>node_modules/.bin/azurite</c>) on loopback ports, its data in a directory of the caller's choice.
/// One owner for <c>dev --durable azurite</c>, the tests' fixture and the bench, so all three start it the same way.
/// A pid file in the data directory lets the next start stop an Azurite orphaned by a <c>kill -9</c> of its parent
/// (it would otherwise keep the ports and the data files).
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's fixed, publicly documented development account key (not a secret).</summary>
    public const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Environment variable naming the azurite executable when the repository's npm package is not found.</summary>
    public const string ExecutableVariable = "ECCO_AZURITE";

    private const string PidFileName = "azurite.pid";
    private readonly StringBuilder _output = new();
    private Process? _process;

    private AzuriteProcess(string location, int blobPort, int queuePort, int tablePort)
    {
        Location = location;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public string Location { get; }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>Connection string for the running instance.</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AccountKey + ";" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>What Azurite printed (for error messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Process id of the running Azurite (0 once stopped).</summary>
    public int ProcessId => _process is { HasExited: false } p ? p.Id : 0;

    /// <summary>
    /// Starts Azurite with its data under <paramref name="location"/> on free loopback ports and waits until all
    /// three services accept connections. Throws <see cref="InvalidOperationException"/> with a readable reason when
    /// the package is missing or Azurite exits, <see cref="TimeoutException"/> when it does not open its ports.
    /// </summary>
    public static async Task<AzuriteProcess> StartAsync(string location, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var executable = FindExecutable()
            ?? throw new InvalidOperationException(
                $"Azurite is not installed: run `npm ci` in the repository (it is pinned in package.json), or set {ExecutableVariable} to its executable.");
        Directory.CreateDirectory(location);
        StopOrphan(location);
        var (blob, queue, table) = FreePorts();
        var azurite = new AzuriteProcess(location, blob, queue, table);
        await azurite.RunAsync(executable, timeout ?? TimeSpan.FromSeconds(30), cancellationToken);
        return azurite;
    }

    /// <summary>The azurite executable: <see cref="ExecutableVariable"/>, else <c>node_modules/.bin/azurite</c> above the app or the current directory.</summary>
    public static string? FindExecutable()
    {
        if (Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "node_modules", ".bin", "azurite");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Stops the process tree and removes the pid file; the data directory stays (the caller owns it).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }

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
            // Exited between the check and the kill.
        }
        catch (TimeoutException)
        {
            // The kill signal was sent; a zombie holds nothing we need.
        }

        _process.Dispose();
        _process = null;
        TryDelete(Path.Combine(Location, PidFileName));
    }

    private async Task RunAsync(string executable, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--silent", "--location", Location, "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", Text(BlobPort),
            "--queueHost", "127.0.0.1", "--queuePort", Text(QueuePort),
            "--tableHost", "127.0.0.1", "--tablePort", Text(TablePort),
        })
        {
            start.ArgumentList.Add(arg);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await File.WriteAllTextAsync(Path.Combine(Location, PidFileName), Text(_process.Id), cancellationToken);

        var clock = Stopwatch.StartNew();
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            while (!await AcceptsAsync(port, cancellationToken))
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode}: {Output}");
                }

                if (clock.Elapsed > timeout)
                {
                    await DisposeAsync();
                    throw new TimeoutException($"Azurite did not open port {port} within {timeout.TotalSeconds:0} s: {Output}");
                }

                await Task.Delay(100, cancellationToken);
            }
        }
    }

    /// <summary>Kills an Azurite left running by a parent that died without disposing it (its pid file is still there).</summary>
    private static void StopOrphan(string location)
    {
        var pidFile = Path.Combine(location, PidFileName);
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        try
        {
            using var orphan = Process.GetProcessById(pid);
            // A recycled pid must not kill an unrelated process: only a node process running azurite qualifies.
            var commandLine = ReadCommandLine(pid);
            if (commandLine.Contains("azurite", StringComparison.OrdinalIgnoreCase))
            {
                orphan.Kill(entireProcessTree: true);
                orphan.WaitForExit(10_000);
            }
        }
        catch (ArgumentException)
        {
            // No such process any more.
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }

        TryDelete(pidFile);
    }

    private static string ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static (int Blob, int Queue, int Table) FreePorts()
    {
        // Hold all three listeners at once so the three ports differ.
        var listeners = Enumerable.Range(0, 3).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
            }

            int Port(int i) => ((IPEndPoint)listeners[i].LocalEndpoint).Port;
            return (Port(0), Port(1), Port(2));
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    private static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
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

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a stale pid file is checked against the process's command line before use.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
