using System.Text.Json;
using EccoStudio.Engine;
using EccoStudio.GcsEmulator.Faults;
using EccoStudio.Orchestrations.Steps;
using EccoStudio.Orchestrations.Tests.Support;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Store;
using Microsoft.Extensions.Logging.Abstractions;
using EccoStudio.Testing;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Orchestrations.Tests;

/// <summary>One Azurite (started from the repo's npm package) for the write-path tests on the Azure Storage backend.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteWritePathGroup : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "WritePathAzurite";

    public static DurableEngineOptions Options(AzuriteFixture azurite, string hub, string worker) => new()
    {
        Backend = EngineBackend.AzureStorage,
        ConnectionString = azurite.ConnectionString,
        TaskHubName = hub,
        WorkerId = worker,
        PartitionCount = 2,
        ActivityVisibilityTimeout = TimeSpan.FromSeconds(10),
        OrchestrationVisibilityTimeout = TimeSpan.FromSeconds(10),
    };

    public static string NewHub(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];
}

[Collection(AzuriteWritePathGroup.Name)]
[Trait("Backend", "Azurite")]
public sealed class AzuriteWritePathTests(AzuriteFixture azurite, GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    [Fact]
    public async Task Write_OnAzurite_HappyPathLandsSnapshotManifestAndPointers()
    {
        await using var harness = await WritePathHarness.StartAsync(emulator,
            engineOptions: AzuriteWritePathGroup.Options(azurite, AzuriteWritePathGroup.NewHub("wphappy"), "wp-happy"));
        var done = await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-AZ", Docs.Venture("V-AZ", "2025-11-06T10:00:00Z")));
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ErrorMessage);
        var result = done.ReadOutputAs<WriteEntityResult>()!;

        Assert.Equal(
            [
                result.HistoryObject,
                "env/dev/indices/ventures/by-lead/Bob/V-AZ.json",
                "env/dev/indices/ventures/by-next-due/2026-02/V-AZ.json",
                "env/dev/indices/ventures/by-status/Pilot/V-AZ.json",
                "env/dev/manifests/ventures/entries/V-AZ.json",
                "env/dev/snapshots/ventures/V-AZ.json",
            ],
            (await harness.ListAsync("env/dev/")).OrderBy(n => n.Contains("/history/", StringComparison.Ordinal) ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal));
        Assert.Equal(Docs.Venture("V-AZ", "2025-11-06T10:00:00Z"), await harness.ReadTextAsync("env/dev/snapshots/ventures/V-AZ.json"));
        Assert.Equal(WriteSteps.Completed, JsonSerializer.Deserialize<WriteStatus>(done.SerializedCustomStatus!)!.Step);
    }

    [Fact]
    public async Task Write_OnAzurite_PermanentIndexFailureCompensatesExactly()
    {
        var faults = new StoreFaults();
        await using var harness = await WritePathHarness.StartAsync(emulator, configure: o => o.Retry.MaxAttempts = 2,
            engineOptions: AzuriteWritePathGroup.Options(azurite, AzuriteWritePathGroup.NewHub("wpcomp"), "wp-comp"), faults: faults);
        var first = await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-AZC", Docs.Venture("V-AZC", "2025-11-06T10:00:00Z")));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, first.RuntimeStatus);
        var before = (await harness.DumpAsync("env/dev/")).Where(p => !p.Key.Contains("/history/", StringComparison.Ordinal)).ToList();

        OrchestrationMetadata done;
        faults.FailAlways("env/dev/indices/", StorageOperationKind.Put);
        try
        {
            done = await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-AZC",
                Docs.VenturePatch("V-AZC", "2025-11-06T11:00:00Z", new() { ["status"] = "Build" }), ChangeKind.MergePatch));
        }
        finally
        {
            faults.Clear();
        }

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        // Through the sidecar on Azure Storage the failure arrives as the output text, FailureDetails stays null.
        Assert.Contains("failed at step indices after 2 attempt(s)", done.FailureDetails?.ErrorMessage ?? done.SerializedOutput, StringComparison.Ordinal);
        Assert.Equal(before, (await harness.DumpAsync("env/dev/")).Where(p => !p.Key.Contains("/history/", StringComparison.Ordinal)).ToList());
        var history = await harness.ListAsync("env/dev/ventures/V-AZC/history/");
        Assert.Equal(3, history.Count);
        Assert.Contains(history, h => (harness.ReadTextAsync(h).Result ?? string.Empty).Contains("\"_change\":\"compensation\"", StringComparison.Ordinal));
    }
}

[Collection(AzuriteWritePathGroup.Name)]
[Trait("Backend", "Azurite")]
public sealed class AzuriteWritePathKillTests(AzuriteFixture azurite, GcsEmulatorFixture emulator, Xunit.Abstractions.ITestOutputHelper output)
    : IClassFixture<GcsEmulatorFixture>
{
    private const int Writes = 8;

    [Fact]
    public async Task Kill9_HostWithWritesInFlight_EveryAcceptedWriteCompletesAfterRestart()
    {
        var hub = AzuriteWritePathGroup.NewHub("wpkill");
        const string Worker = "wp-kill";
        var bucket = emulator.NewBucketName("kill");
        await emulator.CreateClient().CreateBucketAsync(emulator.ProjectId, bucket);
        var acceptedFile = Path.Combine(azurite.Location, $"{hub}-accepted.txt");
        IObjectStore store = new GcsObjectStore(emulator.CreateClient(), new ObjectStoreOptions(), new StorageOperationCounter(), NullLogger<GcsObjectStore>.Instance);

        // Every storage call is slowed down, so writes are still in flight when the host dies.
        emulator.Server.Faults.Update(new FaultSettings { LatencyRate = 1.0, LatencyMs = 150 });
        var scheduled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int historyBeforeKill, snapshotsBeforeKill;
        using (var child = StartChild([azurite.ConnectionString, hub, Worker, emulator.Server.BaseUri.ToString(), bucket, Storage.Schemas.FolderSchemaSource.FindRepoSchemas(),
                   Writes.ToString(System.Globalization.CultureInfo.InvariantCulture), acceptedFile], line =>
               {
                   if (line == "SCHEDULED")
                   {
                       scheduled.TrySetResult();
                   }
               }))
        {
            try
            {
                await scheduled.Task.WaitAsync(TimeSpan.FromSeconds(90));
                var deadline = DateTime.UtcNow.AddSeconds(90);
                while ((await store.ListAllAsync(bucket, "env/dev/ventures/")).Count < 2 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50);
                }
            }
            finally
            {
                child.Kill(entireProcessTree: true);
                await child.WaitForExitAsync();
            }
        }

        historyBeforeKill = (await store.ListAllAsync(bucket, "env/dev/ventures/")).Count;
        snapshotsBeforeKill = (await store.ListAllAsync(bucket, "env/dev/snapshots/ventures/")).Count;
        emulator.Server.Faults.Update(new FaultSettings());
        var accepted = await File.ReadAllLinesAsync(acceptedFile);
        output.WriteLine($"killed with {historyBeforeKill} history objects and {snapshotsBeforeKill} snapshots of {Writes}; {accepted.Length} accepted");
        Assert.Equal(Writes, accepted.Length);
        Assert.True(snapshotsBeforeKill < Writes, "the host was killed after every write had finished");

        await using var restarted = await WritePathHarness.StartAsync(emulator, bucket: bucket, engineOptions: AzuriteWritePathGroup.Options(azurite, hub, Worker));
        foreach (var id in accepted)
        {
            var done = await restarted.WaitAsync(id, TimeSpan.FromMinutes(3));
            Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{id}: {done.RuntimeStatus} {done.SerializedOutput}");
        }

        for (var i = 0; i < Writes; i++)
        {
            Assert.Single(await restarted.ListAsync($"env/dev/ventures/V-K{i}/history/"));
            Assert.Contains("\"status\":\"Pilot\"", await restarted.ReadTextAsync($"env/dev/snapshots/ventures/V-K{i}.json"), StringComparison.Ordinal);
            Assert.NotNull(await restarted.ReadTextAsync($"env/dev/manifests/ventures/entries/V-K{i}.json"));
            Assert.NotNull(await restarted.ReadTextAsync($"env/dev/indices/ventures/by-status/Pilot/V-K{i}.json"));
        }
    }

    private static System.Diagnostics.Process StartChild(string[] args, Action<string> onLine)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EccoStudio.WritePathKillHost.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new System.Diagnostics.Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
