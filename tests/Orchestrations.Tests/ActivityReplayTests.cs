using EccoStudio.Activities.Alerts;
using EccoStudio.Activities.History;
using EccoStudio.Activities.Indices;
using EccoStudio.Activities.Manifests;
using EccoStudio.Activities.Rules;
using EccoStudio.Activities.Snapshots;
using EccoStudio.GcsEmulator.Faults;
using EccoStudio.Orchestrations.Tests.Support;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.History;
using Microsoft.DurableTask.Client;
using EccoStudio.Testing;

namespace EccoStudio.Orchestrations.Tests;

/// <summary>
/// Every activity runs twice: a wrapper registered under the activity's own name runs the real activity (its GCS
/// calls happen) and then throws once, as a worker crash after the storage call would; the retry runs it again.
/// The end state must equal a run without crashes.
/// </summary>
[Trait("Backend", "InMemory")]
public sealed class ActivityReplayTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    private static async Task RunScenarioAsync(WritePathHarness harness, string webhookUrl)
    {
        async Task Write(string entity, string id, string document, ChangeKind change = ChangeKind.Full)
        {
            var done = await harness.WriteAsync(new WriteEntityInput("dev", entity, id, document, change));
            Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ErrorMessage);
        }

        await Write("rule", "RULE-PILOT", Rules.PilotAlert("RULE-PILOT", webhookUrl));
        await Write("venture", "V-RE", Docs.Venture("V-RE", "2025-11-06T10:00:00Z"));
        await Write("venture", "V-RE", Docs.VenturePatch("V-RE", "2025-11-06T11:00:00Z", new() { ["status"] = "Build", ["lead"] = "Alice" }), ChangeKind.MergePatch);
        await Write("venture", "V-RE2", Docs.Venture("V-RE2", "2025-11-06T12:00:00Z", lead: "Alice"));
    }

    /// <summary>Everything except history object names (their ULIDs differ per run) and the delivery record (owner ids).</summary>
    private static async Task<(SortedDictionary<string, string> Objects, List<string> HistoryBodies)> StateAsync(WritePathHarness harness, string webhookUrl)
    {
        var all = new SortedDictionary<string, string>(
            (await harness.DumpAsync("env/dev/")).ToDictionary(p => p.Key, p => p.Value.Replace(webhookUrl, "WEBHOOK", StringComparison.Ordinal)),
            StringComparer.Ordinal);
        var history = all.Where(p => p.Key.Contains("/history/", StringComparison.Ordinal)).Select(p => p.Value).Order(StringComparer.Ordinal).ToList();
        var rest = new SortedDictionary<string, string>(
            all.Where(p => !p.Key.Contains("/history/", StringComparison.Ordinal) && !p.Key.StartsWith("env/dev/logs/", StringComparison.Ordinal))
                .ToDictionary(p => p.Key, p => p.Value.Split(" @")[0] + (p.Value.Contains(" @", StringComparison.Ordinal) ? " @" + p.Value.Split(" @")[1].Split('|')[0] : string.Empty)),
            StringComparer.Ordinal);
        return (rest, history);
    }

    [Fact]
    public async Task EveryActivity_CrashAfterItsWorkThenRetried_ChangesNothing()
    {
        await using var referenceHook = new WebhookReceiver();
        await using var crashHook = new WebhookReceiver();
        var ledger = new CrashLedger();

        await using (var reference = await WritePathHarness.StartAsync(emulator))
        await using (var crashing = await WritePathHarness.StartAsync(emulator, ledger.Decorator))
        {
            await RunScenarioAsync(reference, referenceHook.Url);
            await RunScenarioAsync(crashing, crashHook.Url);

            foreach (var activity in new[]
            {
                nameof(ValidateChangeActivity), nameof(AppendHistoryActivity), nameof(ApplySnapshotActivity), nameof(UpsertManifestEntryActivity),
                nameof(SyncIndicesActivity), nameof(EvaluateRulesActivity), nameof(DeliverAlertActivity),
            })
            {
                Assert.True(ledger.CrashesByActivity.TryGetValue(activity, out var n) && n > 0, $"{activity} never crashed");
            }

            var expected = await StateAsync(reference, referenceHook.Url);
            var actual = await StateAsync(crashing, crashHook.Url);
            var diff = expected.Objects.Keys.Union(actual.Objects.Keys)
                .Where(k => !expected.Objects.TryGetValue(k, out var e) || !actual.Objects.TryGetValue(k, out var a) || e != a)
                .Select(k => $"{k}: {expected.Objects.GetValueOrDefault(k)} <> {actual.Objects.GetValueOrDefault(k)}").ToList();
            Assert.True(diff.Count == 0, string.Join("\n", diff));
            Assert.Equal(expected.HistoryBodies, actual.HistoryBodies);
            Assert.Equal(4, actual.HistoryBodies.Count);
            // Two alerts (V-RE and V-RE2 in Pilot), each posted exactly once, as without crashes.
            Assert.Equal(["{\"text\":\"V-RE is in Pilot\"}", "{\"text\":\"V-RE2 is in Pilot\"}"], crashHook.Requests.Select(r => r.Body).Order(StringComparer.Ordinal));
            Assert.Equal(referenceHook.Requests.Select(r => r.Key).Order(StringComparer.Ordinal), crashHook.Requests.Select(r => r.Key).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task CompensationActivities_CrashAfterTheirWorkThenRetried_StillRestoreExactly()
    {
        var ledger = new CrashLedger();
        await using var harness = await WritePathHarness.StartAsync(emulator, ledger.Decorator, o => o.Retry.MaxAttempts = 3);
        var first = await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-RC", Docs.Venture("V-RC", "2025-11-06T10:00:00Z")));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, first.RuntimeStatus);
        var before = (await harness.DumpAsync("env/dev/")).Where(p => !p.Key.Contains("/history/", StringComparison.Ordinal)).ToList();

        OrchestrationMetadata done;
        emulator.Server.Faults.Update(new FaultSettings { Rate503 = 1.0, ObjectPrefix = "env/dev/indices/ventures/by-status/Build/", Method = "PUT" });
        try
        {
            var patch = Docs.VenturePatch("V-RC", "2025-11-06T11:00:00Z", new() { ["status"] = "Build" });
            done = await harness.WriteAsync(new WriteEntityInput("dev", "venture", "V-RC", patch, ChangeKind.MergePatch));
        }
        finally
        {
            emulator.Server.Faults.Update(new FaultSettings());
        }

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        foreach (var activity in new[] { nameof(AppendCompensationActivity), nameof(RestoreSnapshotActivity), nameof(RestoreManifestEntryActivity) })
        {
            Assert.True(ledger.CrashesByActivity.TryGetValue(activity, out var n) && n > 0, $"{activity} never crashed");
        }

        var after = (await harness.DumpAsync("env/dev/")).Where(p => !p.Key.Contains("/history/", StringComparison.Ordinal)).ToList();
        Assert.Equal(before, after);
        Assert.Equal(3, (await harness.ListAsync("env/dev/ventures/V-RC/history/")).Count);
    }
}
