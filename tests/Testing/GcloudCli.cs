using System.Diagnostics;
using System.Text;

namespace EccoStudio.Testing;

/// <summary>What one gcloud invocation produced.</summary>
public sealed record GcloudResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}

/// <summary>
/// Runs the preinstalled <c>gcloud</c> against a local storage endpoint: the JSON API endpoint is overridden
/// (<c>CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE</c>), credentials are disabled, and a throw-away
/// <c>CLOUDSDK_CONFIG</c> directory keeps ~/.config untouched. Each call has a timeout and is killed (whole process
/// tree) when it runs over.
/// </summary>
public sealed class GcloudCli : IDisposable
{
    private readonly string _configDir = Directory.CreateTempSubdirectory("gcloud-cfg-").FullName;

    /// <param name="storageEndpoint">The emulator's base URL, e.g. http://127.0.0.1:PORT/.</param>
    /// <param name="projectId">The project gcloud should use (bucket creation needs one).</param>
    public GcloudCli(Uri storageEndpoint, string projectId)
    {
        StorageEndpoint = storageEndpoint;
        ProjectId = projectId;
    }

    public Uri StorageEndpoint { get; }

    public string ProjectId { get; }

    /// <summary>How long one invocation may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Runs <c>gcloud ARGS</c>; never throws for a non-zero exit (the result says it).</summary>
    /// <exception cref="TimeoutException">The call ran over <see cref="Timeout"/> (it was killed).</exception>
    public async Task<GcloudResult> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("gcloud")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var endpoint = StorageEndpoint.ToString();
        start.Environment["CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE"] = endpoint.EndsWith('/') ? endpoint : endpoint + "/";
        start.Environment["CLOUDSDK_AUTH_DISABLE_CREDENTIALS"] = "true";
        start.Environment["CLOUDSDK_CORE_PROJECT"] = ProjectId;
        start.Environment["CLOUDSDK_CONFIG"] = _configDir;
        start.Environment["CLOUDSDK_CORE_DISABLE_PROMPTS"] = "1";
        start.Environment["CLOUDSDK_CORE_DISABLE_USAGE_REPORTING"] = "true";
        start.Environment["CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK"] = "true";
        start.Environment.Remove("GOOGLE_APPLICATION_CREDENTIALS");
        start.Environment.Remove("STORAGE_EMULATOR_HOST");

        using var process = Process.Start(start) ?? throw new InvalidOperationException("gcloud did not start");
        process.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException(
                $"gcloud {string.Join(' ', args)} ran over {Timeout}:\n{Read(stdout)}\n{Read(stderr)}");
        }

        process.WaitForExit(); // drains the async output readers
        return new GcloudResult(process.ExitCode, Read(stdout), Read(stderr));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_configDir, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }

    private static string Read(StringBuilder buffer)
    {
        lock (buffer)
        {
            return buffer.ToString();
        }
    }
}
