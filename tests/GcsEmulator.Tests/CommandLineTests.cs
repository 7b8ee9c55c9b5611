using System.Diagnostics;
using EccoStudio.GcsEmulator.Hosting;

namespace EccoStudio.GcsEmulator.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void TryParse_AllFlags_FillOptions()
    {
        var ok = EmulatorCommandLine.TryParse(
            ["--port", "4443", "--host", "0.0.0.0", "--data", "/tmp/x", "--project", "p1", "--pubsub-emulator", "127.0.0.1:8085",
             "--fault-503", "0.1", "--fault-429", "0.05", "--fault-drop", "0.01", "--latency-ms", "200", "--latency-rate", "0.1",
             "--fault-method", "put", "--fault-prefix", "history/", "--fault-seed", "7", "--mutation-limit"],
            out var options, out var error, out var help);
        Assert.True(ok, error);
        Assert.False(help);
        Assert.Equal(4443, options.Port);
        Assert.Equal("0.0.0.0", options.Host);
        Assert.Equal("/tmp/x", options.DataDirectory);
        Assert.Equal("p1", options.ProjectId);
        Assert.Equal("127.0.0.1:8085", options.PubSubEmulatorHost);
        Assert.Equal(0.1, options.Faults.Rate503);
        Assert.Equal(0.05, options.Faults.Rate429);
        Assert.Equal(0.01, options.Faults.RateDrop);
        Assert.Equal(200, options.Faults.LatencyMs);
        Assert.Equal(0.1, options.Faults.LatencyRate);
        Assert.Equal("PUT", options.Faults.Method);
        Assert.Equal("history/", options.Faults.ObjectPrefix);
        Assert.Equal(7, options.Faults.Seed);
        Assert.True(options.Faults.PerObjectMutationLimit);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--port", "abc")]
    [InlineData("--port", "70000")]
    [InlineData("--fault-503", "2")]
    [InlineData("--host", "not an address")]
    [InlineData("--data", "/tmp/x", "--in-memory")]
    [InlineData("--port")]
    public void TryParse_BadFlags_FalseWithOneLine(params string[] args)
    {
        Assert.False(EmulatorCommandLine.TryParse(args, out _, out var error, out _));
        Assert.StartsWith("gcs-emulator: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    private static ProcessStartInfo Program(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "EccoStudio.GcsEmulator.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    [Fact]
    public async Task Program_InMemoryPortZero_PrintsBaseUrlAndServes()
    {
        using var process = Process.Start(Program("--in-memory", "--port", "0"))!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.NotNull(line);
            Assert.StartsWith("GCS emulator listening on http://127.0.0.1:", line, StringComparison.Ordinal);
            var baseUri = new Uri(line["GCS emulator listening on ".Length..]);
            using var http = new HttpClient { BaseAddress = baseUri };
            using var response = await http.GetAsync(new Uri("storage/v1/b?project=ecco-local", UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Program_BadFlag_ExitsNonZeroWithOneStderrLine()
    {
        using var process = Process.Start(Program("--nope"))!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.NotEqual(0, process.ExitCode);
        Assert.Equal("gcs-emulator: unknown option '--nope' (try --help)", stderr.Trim());
    }
}
