using System.Diagnostics;
using System.Text.Json;

namespace EccoStudio.Testing;

/// <summary>One case a conformance script reported: <c>{"case": name, "ok": bool, "error": message}</c>.</summary>
public sealed record NodeCaseResult(string Case, bool Ok, string? Error);

/// <summary>What one run of a Node.js script produced.</summary>
public sealed record NodeScriptResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The JSON-line case results on stdout (other lines are ignored).</summary>
    public IReadOnlyList<NodeCaseResult> Cases { get; } = ParseCases(StandardOutput);

    private static List<NodeCaseResult> ParseCases(string stdout)
    {
        var results = new List<NodeCaseResult>();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith("{\"case\"", StringComparison.Ordinal))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            results.Add(new NodeCaseResult(
                root.GetProperty("case").GetString()!,
                root.GetProperty("ok").GetBoolean(),
                root.TryGetProperty("error", out var e) ? e.GetString() : null));
        }

        return results;
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}

/// <summary>
/// Runs a Node.js script of the repository with <c>node</c>, so conformance tests can drive our servers with
/// clients we did not write (npm packages pinned in the root package.json, installed by scripts/test.sh).
/// </summary>
public static class NodeScript
{
    /// <summary>Runs <paramref name="relativePath"/> (from the repository root) with the given environment.</summary>
    /// <exception cref="TimeoutException">The script ran over <paramref name="timeout"/> (it was killed).</exception>
    public static async Task<NodeScriptResult> RunAsync(string relativePath, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args)
    {
        var root = AzuriteFixture.FindRepoRoot();
        if (!Directory.Exists(Path.Combine(root, "node_modules")))
        {
            throw new InvalidOperationException($"node_modules is missing under {root}: run `npm ci` there.");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        start.ArgumentList.Add(Path.Combine(root, relativePath));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{relativePath} ran over {timeout}.\n{await stdout}\n{await stderr}");
        }

        return new NodeScriptResult(process.ExitCode, await stdout, await stderr);
    }
}
