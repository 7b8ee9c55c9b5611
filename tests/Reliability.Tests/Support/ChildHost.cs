using System.Diagnostics;
using System.Net;
using System.Text;

namespace EccoStudio.Reliability.Tests.Support;

/// <summary>
/// <c>src/Host</c> <c>dev</c> as a child process (<c>dotnet EccoStudio.Host.dll dev …</c> from the test output, which
/// carries the host's build), so a test can kill -9 it and start it again on the same data directory and task hub.
/// </summary>
public sealed class ChildHost : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ChildHost(Process process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

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

    /// <param name="port">API port.</param>
    /// <param name="gcsPort">Embedded emulator port.</param>
    /// <param name="data">Data directory.</param>
    /// <param name="azurite">Azurite connection string; null = in-memory engine.</param>
    /// <param name="timeout">How long to wait for health.</param>
    /// <param name="environment">Extra environment variables of the child.</param>
    /// <param name="arguments">Extra command-line arguments.</param>
    public static async Task<ChildHost> StartAsync(int port, int gcsPort, string data, string? azurite, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null, IEnumerable<string>? arguments = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "EccoStudio.Host.dll"), "dev", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--gcs-port", gcsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", data,
                     "--durable", azurite is null ? "inmemory" : "azurite=" + azurite,
                 }.Concat(arguments ?? []))
        {
            start.ArgumentList.Add(arg);
        }

        // Shorter lease after a crash once the dev host binds engine options from configuration (today it does not:
        // in-flight work then resumes after DurableEngineOptions' 5-minute visibility timeouts).
        foreach (var section in new[] { "DurableEngine", "Ecco__Engine" })
        {
            start.Environment[$"{section}__ActivityVisibilityTimeout"] = "00:00:15";
            start.Environment[$"{section}__OrchestrationVisibilityTimeout"] = "00:00:15";
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var child = new ChildHost(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = child.BaseUri, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the child host exited with {process.ExitCode}:\n{child.Output}");
            }

            try
            {
                using var health = await http.GetAsync(new Uri("api/health", UriKind.Relative));
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return child;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }

            await Task.Delay(250);
        }

        child.Kill();
        throw new TimeoutException($"the child host was not healthy within {timeout}:\n{child.Output}");
    }

    /// <summary>SIGKILL to the whole tree: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
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
}
