using System.Net;
using EccoStudio.GcsEmulator.Faults;
using EccoStudio.Host.Verify;
using EccoStudio.Reliability.Tests.Support;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Consistency;
using EccoStudio.Storage.Schemas;
using EccoStudio.Testing;
using Xunit.Abstractions;

namespace EccoStudio.Reliability.Tests;

/// <summary>
/// The in-memory engine loses its orchestrations with the process. A <c>dev</c> killed after its writes' history
/// objects landed (their snapshot steps held by the emulator) leaves them half-applied; the next <c>dev</c> start
/// finds them and completes them with its recovery sweep.
/// </summary>
public sealed class StartupRecoveryTests(GcsEmulatorFixture gcs, ITestOutputHelper output) : IClassFixture<GcsEmulatorFixture>
{
    private const int Writes = 8;

    [Fact]
    public async Task Restart_InMemoryDevKilledAfterHistoryLanded_StartupSweepCompletesEveryWrite()
    {
        var data = Path.Combine(Path.GetTempPath(), "ecco-recovery-" + Guid.NewGuid().ToString("N")[..8]);
        var port = FreePorts.Next();
        string[] arguments = ["--gcs-emulator", gcs.Server.BaseUri.ToString()];
        var settings = new VerifySettings { Gcs = gcs.Server.BaseUri, Entities = ["venture"] };
        var context = VerifyRunner.CreateContext(settings, FolderSchemaSource.FindRepoSchemas());
        var ids = Enumerable.Range(0, Writes).Select(i => $"REC{i:D2}").ToList();
        try
        {
            using (var first = await ChildHost.StartAsync(port, 0, data, azurite: null, TimeSpan.FromMinutes(2), arguments: arguments))
            {
                // Every snapshot read waits 20 s (the API's own read before accepting too): each write lands its
                // history object and then hangs at the snapshot step, where the kill finds it.
                gcs.Server.Faults.Update(new FaultSettings { LatencyRate = 1, LatencyMs = 20_000, ObjectPrefix = "env/dev/snapshots/" });
                using var http = new HttpClient { BaseAddress = first.BaseUri, Timeout = TimeSpan.FromSeconds(90) };
                var random = new Random(5);
                var outcomes = await Task.WhenAll(ids.Select((id, i) => new WriteDriver(http).SendAsync(new WriteOp(id, false, Ventures.Full(random, i), $"rec-{i}"), maxAttempts: 3)));
                Assert.All(outcomes, o => Assert.True(o.Accepted, $"{o.Op.Id}: {o.Status} {o.Problem}"));
                await WaitForHistoryAsync(context, ids, TimeSpan.FromMinutes(1));
                first.Kill();
            }

            gcs.Server.Faults.Update(new FaultSettings());
            var checker = new ConsistencyChecker(context);
            var before = await checker.CheckAsync("dev", [EntityCatalog.Venture]);
            output.WriteLine("after the kill: " + before.Summary());
            Assert.Equal(Writes, before.DriftedEntities.Count);

            using var second = await ChildHost.StartAsync(port, 0, data, azurite: null, TimeSpan.FromMinutes(2), arguments: arguments);
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (!second.Output.Contains("Startup recovery of dev", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }

            output.WriteLine(string.Join('\n', second.Output.Split('\n').Where(l => l.Contains("recovery", StringComparison.OrdinalIgnoreCase))));
            Assert.Contains($"{Writes} drifted, {Writes} reconciled; consistent", second.Output, StringComparison.Ordinal);
            var after = await checker.CheckAsync("dev", [EntityCatalog.Venture]);
            Assert.True(after.IsConsistent, after.Summary());
            using var api = new HttpClient { BaseAddress = second.BaseUri };
            foreach (var id in ids)
            {
                using var snapshot = await api.GetAsync(new Uri($"api/dev/ventures/{id}", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, snapshot.StatusCode);
            }
        }
        finally
        {
            gcs.Server.Faults.Update(new FaultSettings());
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp directory left behind is harmless.
            }
        }
    }

    private static async Task WaitForHistoryAsync(Storage.Composition.StorageContext context, List<string> ids, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var audit = await HistoryAudit.ReadAsync(context, "dev", EntityCatalog.Venture, ids);
            if (audit.ChangeRecords.Count == ids.Count)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"only {audit.ChangeRecords.Count} of {ids.Count} history objects landed");
            await Task.Delay(250);
        }
    }
}
