using System.Globalization;
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
/// Two <c>dev</c> workers (child processes) on one Azurite task hub and one bucket, the way several Functions instances
/// share a task hub in production (docs/scale-out.md): both accept writes and both execute work; one is killed with
/// writes in flight and the survivor finishes every accepted write exactly once, with no drift.
/// </summary>
public sealed class ScaleOutTests(AzuriteFixture azurite, GcsEmulatorFixture gcs, ITestOutputHelper output)
    : IClassFixture<AzuriteFixture>, IClassFixture<GcsEmulatorFixture>
{
    private const int WritesPerWave = 24;
    private const int Ids = 12;

    [Fact]
    public async Task TwoWorkers_OneKilledWithWritesInFlight_EveryAcceptedWriteCompletesOnceWithZeroDrift()
    {
        var gcsUri = gcs.Server.BaseUri.ToString();
        var data = Path.Combine(Path.GetTempPath(), "ecco-scale-" + Guid.NewGuid().ToString("N")[..8]);
        using var survivor = await StartWorkerAsync("worker-a", data + "-a", gcsUri);
        var accepted = new List<WriteOutcome>();
        var random = new Random(11);
        Dictionary<string, long> ranBeforeKill;
        try
        {
            using (var victim = await StartWorkerAsync("worker-b", data + "-b", gcsUri))
            {
                // Wave 1: writes sent to both workers alternately; both must run some of the work.
                accepted.AddRange(await SendWaveAsync([survivor, victim], 0, random));
                await WaitCompletedAsync(survivor, accepted, TimeSpan.FromMinutes(3));
                ranBeforeKill = new Dictionary<string, long>
                {
                    ["worker-a"] = await ActivitiesRunAsync(survivor, "worker-a"),
                    ["worker-b"] = await ActivitiesRunAsync(victim, "worker-b"),
                };
                output.WriteLine($"wave 1: {accepted.Count} accepted and completed; activities run: a {ranBeforeKill["worker-a"]}, b {ranBeforeKill["worker-b"]}");
                Assert.True(ranBeforeKill["worker-a"] > 0 && ranBeforeKill["worker-b"] > 0,
                    $"both workers should execute activities: {string.Join(", ", ranBeforeKill)}");

                // Wave 2: sent to the victim only, killed (SIGKILL, whole tree) as soon as the last one is accepted.
                var wave2 = await SendWaveAsync([victim], WritesPerWave, random);
                accepted.AddRange(wave2);
                victim.Kill();
                output.WriteLine($"wave 2: {wave2.Count} accepted by worker-b, which was killed right after");
            }

            // The survivor takes over the dead worker's partitions when their leases expire and finishes everything.
            var completed = await WaitCompletedAsync(survivor, accepted, TimeSpan.FromMinutes(6));
            Assert.Equal(accepted.Count, completed);
            using var http = new HttpClient { BaseAddress = survivor.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
            using var running = await http.GetAsync(new Uri("runtime/webhooks/durabletask/instances?runtimeStatus=Running,Pending&top=100", UriKind.Relative));
            Assert.Empty(JsonNode.Parse(await running.Content.ReadAsStringAsync())!.AsArray());
            output.WriteLine($"after the kill: {completed} of {accepted.Count} completed; worker-a ran {await ActivitiesRunAsync(survivor, "worker-a")} activities");

            // Exactly once: one history record per accepted write, none compensated, and no drift.
            var settings = new VerifySettings { Gcs = gcs.Server.BaseUri, Entities = ["venture"] };
            var context = VerifyRunner.CreateContext(settings, FolderSchemaSource.FindRepoSchemas());
            var audit = await HistoryAudit.ReadAsync(context, "dev", EntityCatalog.Venture, accepted.Select(a => a.Op.Id).Distinct());
            Assert.Equal(accepted.Count, audit.ChangeRecords.Count);
            Assert.Empty(audit.CompensationRecords);
            var report = await new ConsistencyChecker(context).CheckAsync("dev", [EntityCatalog.Venture]);
            Assert.True(report.IsConsistent, report.Summary());
        }
        finally
        {
            foreach (var dir in new[] { data + "-a", data + "-b" })
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (IOException)
                {
                    // Best effort: a temp directory left behind is harmless.
                }
            }
        }
    }

    private async Task<ChildHost> StartWorkerAsync(string worker, string data, string gcsUri) =>
        await ChildHost.StartAsync(FreePorts.Next(), 0, data, azurite.ConnectionString, TimeSpan.FromMinutes(2),
            arguments: ["--gcs-emulator", gcsUri, "--worker-id", worker]);

    private static async Task<List<WriteOutcome>> SendWaveAsync(IReadOnlyList<ChildHost> hosts, int offset, Random random)
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(offset, WritesPerWave).Select(async i =>
        {
            using var http = new HttpClient { BaseAddress = hosts[i % hosts.Count].BaseUri, Timeout = TimeSpan.FromSeconds(30) };
            // Full documents only: a patch needs its entity to exist, which a write sent at the same moment may not have made yet.
            var op = new WriteOp($"SCALE{i % Ids:D2}", false, Ventures.Full(random, i), $"scale-{i}");
            return await new WriteDriver(http).SendAsync(op, maxAttempts: 5);
        }));
        Assert.All(outcomes, o => Assert.True(o.Accepted, $"{o.Op.Id}: {o.Status} {o.Problem}"));
        return [.. outcomes];
    }

    /// <summary>Polls the management API (any worker answers for the whole task hub) until every write completed.</summary>
    private static async Task<int> WaitCompletedAsync(ChildHost host, List<WriteOutcome> writes, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = host.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        var deadline = DateTime.UtcNow + timeout;
        var completed = 0;
        while (DateTime.UtcNow < deadline)
        {
            completed = 0;
            foreach (var write in writes)
            {
                using var response = await http.GetAsync(new Uri($"runtime/webhooks/durabletask/instances/{Uri.EscapeDataString(write.InstanceId!)}", UriKind.Relative));
                var status = response.StatusCode == HttpStatusCode.OK
                    ? JsonNode.Parse(await response.Content.ReadAsStringAsync())?["runtimeStatus"]?.GetValue<string>()
                    : null;
                Assert.NotEqual("Failed", status);
                completed += status == "Completed" ? 1 : 0;
            }

            if (completed == writes.Count)
            {
                break;
            }

            await Task.Delay(1000);
        }

        return completed;
    }

    /// <summary>Activities this worker completed, from its own Prometheus endpoint (<c>ecco.engine.work_items</c>).</summary>
    private static async Task<long> ActivitiesRunAsync(ChildHost host, string worker)
    {
        using var http = new HttpClient { BaseAddress = host.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        var text = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));
        return text.Split('\n')
            .Where(line => line.StartsWith("ecco_engine_work_items_total{", StringComparison.Ordinal)
                && line.Contains("kind=\"activity\"", StringComparison.Ordinal) && line.Contains($"worker=\"{worker}\"", StringComparison.Ordinal))
            .Sum(line => (long)double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture));
    }
}
