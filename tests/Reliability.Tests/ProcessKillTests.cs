using System.Net;
using System.Text.Json.Nodes;
using EccoStudio.Host.Verify;
using EccoStudio.Reliability.Tests.Support;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Consistency;
using EccoStudio.Storage.Schemas;
using EccoStudio.Testing;
using Xunit.Abstractions;

namespace EccoStudio.Reliability.Tests;

/// <summary>
/// Issue 7 item 3: the local host on the Azurite-backed engine as a child process; writes accepted, the process
/// killed with SIGKILL while they run, started again on the same data and task hub: every accepted write completes,
/// lands exactly once, nothing is left running, and the checker (the verify command, in-process) finds no drift.
/// </summary>
public sealed class ProcessKillTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private const int Writes = 40;
    private const int Ids = 10;

    [Fact]
    public async Task Kill9_DevHostOnAzuriteDuringLoad_AcceptedWritesCompleteAfterRestartWithZeroDrift()
    {
        var data = Path.Combine(Path.GetTempPath(), "ecco-kill-" + Guid.NewGuid().ToString("N")[..8]);
        var port = FreePorts.Next();
        var gcsPort = FreePorts.Next();
        var accepted = new List<WriteOutcome>();
        int completedAtKill;
        using (var first = await ChildHost.StartAsync(port, gcsPort, data, azurite.ConnectionString, TimeSpan.FromMinutes(2)))
        {
            using var http = new HttpClient { BaseAddress = first.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
            var driver = new WriteDriver(http);
            var random = new Random(3);
            var ops = Enumerable.Range(0, Writes).Select(i => new WriteOp($"KILL{i % Ids:D2}", false, Ventures.Full(random, i), $"kill-{i}")).ToList();
            var outcomes = await Task.WhenAll(ops.Select(op => driver.SendAsync(op, maxAttempts: 5)));
            accepted.AddRange(outcomes.Where(o => o.Accepted));
            completedAtKill = await CountCompletedAsync(http, accepted);
            first.Kill();
            output.WriteLine($"{accepted.Count} writes accepted; {completedAtKill} completed when the host was killed");
        }

        try
        {
            Assert.Equal(Writes, accepted.Count);
            using var second = await ChildHost.StartAsync(port, gcsPort, data, azurite.ConnectionString, TimeSpan.FromMinutes(2));
            using var http = new HttpClient { BaseAddress = second.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
            // Work whose queue message was leased when the process died comes back after the engine's visibility
            // timeout (5 minutes in the dev host today), so the deadline allows for that.
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(7);
            int completed;
            while ((completed = await CountCompletedAsync(http, accepted)) < accepted.Count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(1000);
            }

            output.WriteLine($"after restart: {completed} of {accepted.Count} completed");
            Assert.Equal(accepted.Count, completed);
            using var running = await http.GetAsync(new Uri("runtime/webhooks/durabletask/instances?runtimeStatus=Running,Pending&top=100", UriKind.Relative));
            Assert.Empty(JsonNode.Parse(await running.Content.ReadAsStringAsync())!.AsArray());

            var settings = new VerifySettings { Gcs = new Uri($"http://127.0.0.1:{gcsPort}/"), Entities = ["venture"] };
            var context = VerifyRunner.CreateContext(settings, FolderSchemaSource.FindRepoSchemas());
            var audit = await HistoryAudit.ReadAsync(context, "dev", EntityCatalog.Venture, accepted.Select(a => a.Op.Id));
            Assert.Equal(accepted.Count, audit.ChangeRecords.Count);
            Assert.Empty(audit.CompensationRecords);
            var report = await new ConsistencyChecker(context).CheckAsync("dev", [EntityCatalog.Venture]);
            Assert.True(report.IsConsistent, report.Summary());
            var verifyOut = new StringWriter();
            Assert.Equal(0, await VerifyRunner.RunAsync(settings, verifyOut, new StringWriter(), interactive: false, CancellationToken.None));
            output.WriteLine(verifyOut.ToString());
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }

    private static async Task<int> CountCompletedAsync(HttpClient http, IEnumerable<WriteOutcome> writes)
    {
        var completed = 0;
        foreach (var write in writes)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"runtime/webhooks/durabletask/instances/{Uri.EscapeDataString(write.InstanceId!)}", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK
                    && JsonNode.Parse(await response.Content.ReadAsStringAsync())?["runtimeStatus"]?.GetValue<string>() == "Completed")
                {
                    completed++;
                }
            }
            catch (HttpRequestException)
            {
                // the host is going down
            }
        }

        return completed;
    }
}
