using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EccoStudio.GcsEmulator.Faults;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Reliability.Tests.Support;

/// <summary>Size of a chaos run; CI default 300 writes over 30 ids, full size from ECCO_CHAOS_WRITES / ECCO_CHAOS_IDS.</summary>
public sealed record ChaosSize(int Writes, int Ids, int Concurrency, int Seed)
{
    public static ChaosSize FromEnvironment() => new(
        Read("ECCO_CHAOS_WRITES", 300), Read("ECCO_CHAOS_IDS", 30), Read("ECCO_CHAOS_CONCURRENCY", 16), Read("ECCO_CHAOS_SEED", 7));

    private static int Read(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}

/// <summary>What a chaos run saw; printed by the test and written as JSON next to the test binaries.</summary>
public sealed record ChaosSummary
{
    public required ChaosSize Size { get; init; }
    public int WritesAccepted { get; init; }
    public int WritesRefused { get; init; }
    public int Puts { get; init; }
    public int Patches { get; init; }
    public int Completed { get; init; }
    public int Failed { get; init; }
    public int NotEnded { get; init; }
    public long ClientRetries { get; init; }
    /// <summary>Activity-level retries as the write results report them (sum of attempts − 1 per step).</summary>
    public long StepRetries { get; init; }

    /// <summary>Storage-call retries inside activities and API handlers (the object store's transient-failure log lines).</summary>
    public long StoreRetries { get; init; }
    public required IReadOnlyDictionary<string, int> StepRetriesByStep { get; init; }
    public required IReadOnlyList<string> FailureReasons { get; init; }
    public required FaultStatsSnapshot Faults { get; init; }
    public int HistoryChangeObjects { get; init; }
    public int CompensationRecords { get; init; }
    public int DistinctHistoryObjectsOfAcceptedWrites { get; init; }
    public long DriftDifferences { get; init; }
    public required string DriftSummary { get; init; }
    public double Seconds { get; init; }
    public required IReadOnlyList<string> Refusals { get; init; }
    public required IReadOnlyList<string> MissingHistory { get; init; }
    public required IReadOnlyList<string> ExtraHistory { get; init; }

    /// <summary>For the first drifted entities: history in fold order (key, kind, name, lead, status) and the snapshot's.</summary>
    public required IReadOnlyList<string> DriftDiagnostics { get; init; }
    public int ExtraHistoryCount { get; init; }
}

/// <summary>
/// The chaos run (issue 7 item 2): PUT and PATCH writes over N ids through the local host while the emulator injects
/// 10 % 503, 5 % 429, 2 % dropped connections, 5 % latency spikes of 300 ms and the per-object mutation limit.
/// Every id's first write is a PUT that completes before its patches are sent; then writes go in random order.
/// </summary>
public static class ChaosRun
{
    public static readonly FaultSettings Faults = new()
    {
        Rate503 = 0.10, Rate429 = 0.05, RateDrop = 0.02, LatencyRate = 0.05, LatencyMs = 300, PerObjectMutationLimit = true,
    };

    public static async Task<ChaosSummary> RunAsync(LocalHost stack, ChaosSize size, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(size.Seed);
        var driver = new WriteDriver(stack.Http);
        var ids = Enumerable.Range(1, size.Ids).Select(i => $"CH{i:D4}").ToList();
        var first = ids.Select((id, i) => new WriteOp(id, false, Ventures.Full(random, i), $"chaos-{id}-0")).ToList();
        var rest = Enumerable.Range(size.Ids, Math.Max(0, size.Writes - size.Ids)).Select(i =>
        {
            var id = ids[random.Next(ids.Count)];
            var patch = random.Next(2) == 0;
            return new WriteOp(id, patch, patch ? Ventures.Patch(random, i) : Ventures.Full(random, i), $"chaos-{id}-{i}");
        }).ToList();

        var faults = new FaultSettings
        {
            Rate503 = Faults.Rate503, Rate429 = Faults.Rate429, RateDrop = Faults.RateDrop, LatencyRate = Faults.LatencyRate, LatencyMs = Faults.LatencyMs,
            PerObjectMutationLimit = true, Seed = size.Seed,
        };
        stack.Host.Gcs.Faults.Stats.Reset();
        stack.Host.Gcs.Faults.Update(faults);
        List<WriteOutcome> outcomes;
        IReadOnlyDictionary<string, OrchestrationMetadata?> states;
        FaultStatsSnapshot injected;
        try
        {
            outcomes = [.. await SendAllAsync(driver, first, size.Concurrency)];
            var firstStates = await Instances.WaitAllAsync(stack.Client, outcomes.Where(o => o.Accepted).Select(o => o.InstanceId!), timeout);
            outcomes.AddRange(await SendAllAsync(driver, rest, size.Concurrency));
            var all = await Instances.WaitAllAsync(stack.Client, outcomes.Where(o => o.Accepted).Select(o => o.InstanceId!), timeout);
            states = firstStates.Concat(all).GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        }
        finally
        {
            injected = stack.Host.Gcs.Faults.Stats.Snapshot();
            stack.Host.Gcs.Faults.Update(new FaultSettings());
        }

        var accepted = outcomes.Where(o => o.Accepted).ToList();
        var results = states.Values.Where(s => s?.RuntimeStatus == OrchestrationRuntimeStatus.Completed).Select(s => s!.ReadOutputAs<WriteEntityResult>()!).ToList();
        var expectedHistory = results.Select(r => r.HistoryObject).ToHashSet(StringComparer.Ordinal);
        var audit = await HistoryAudit.ReadAsync(stack.Storage, "dev", EntityCatalog.Venture, ids);
        var report = await stack.Checker().CheckAsync("dev", [EntityCatalog.Venture]);
        var notEnded = await Instances.NotEndedAsync(stack.Client);
        var diagnostics = new List<string>();
        foreach (var target in report.DriftedEntities.Take(2))
        {
            var reader = new Storage.Writes.EntityReader(stack.Storage);
            foreach (var record in (await reader.ReadAllHistoryAsync(target)).OrderBy(r => r.Key))
            {
                var body = record.Body;
                diagnostics.Add($"{target.Id} history {record.Key} {record.Change} name={body["name"]} lead={body["lead"]} status={body["status"]}");
            }

            var snapshot = await reader.GetSnapshotAsync(target);
            diagnostics.Add($"{target.Id} snapshot gen={snapshot?.Generation} applied={snapshot?.LastApplied} name={snapshot?.Document["name"]} lead={snapshot?.Document["lead"]} status={snapshot?.Document["status"]} updated_at={snapshot?.Document["updated_at"]}");
        }

        return new ChaosSummary
        {
            Size = size,
            WritesAccepted = accepted.Count,
            WritesRefused = outcomes.Count - accepted.Count,
            Puts = accepted.Count(o => !o.Op.Patch),
            Patches = accepted.Count(o => o.Op.Patch),
            Completed = results.Count,
            Failed = states.Values.Count(s => s?.RuntimeStatus == OrchestrationRuntimeStatus.Failed),
            NotEnded = notEnded.Count,
            ClientRetries = driver.ClientRetries,
            StepRetries = results.Sum(r => r.Attempts.Values.Sum(a => Math.Max(0, a - 1))),
            StepRetriesByStep = results.SelectMany(r => r.Attempts).GroupBy(p => p.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Sum(p => Math.Max(0, p.Value - 1)), StringComparer.Ordinal),
            FailureReasons = states.Values.Where(s => s?.RuntimeStatus == OrchestrationRuntimeStatus.Failed)
                .Select(s => $"{s!.InstanceId}: {s.FailureDetails?.ErrorType}: {s.FailureDetails?.ErrorMessage}").Take(5).ToList(),
            StoreRetries = stack.Logs.Lines.Count(l => l.Contains("failed transiently", StringComparison.Ordinal)),
            Faults = injected,
            HistoryChangeObjects = audit.ChangeRecords.Count,
            CompensationRecords = audit.CompensationRecords.Count,
            DistinctHistoryObjectsOfAcceptedWrites = expectedHistory.Count,
            DriftDifferences = report.TotalDifferences,
            DriftSummary = report.Summary(),
            Seconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
            Refusals = outcomes.Where(o => !o.Accepted).Take(5).Select(o => $"{o.Op.Id} {o.Status} {o.Problem}").ToList(),
            MissingHistory = expectedHistory.Except(audit.ChangeRecords, StringComparer.Ordinal).Take(5).ToList(),
            ExtraHistory = audit.ChangeRecords.Except(expectedHistory, StringComparer.Ordinal).Take(5).ToList(),
            DriftDiagnostics = diagnostics,
            ExtraHistoryCount = audit.ChangeRecords.Except(expectedHistory, StringComparer.Ordinal).Count(),
        };
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string ToJson(ChaosSummary summary) => JsonSerializer.Serialize(summary, Indented);

    private static async Task<IReadOnlyList<WriteOutcome>> SendAllAsync(WriteDriver driver, List<WriteOp> ops, int concurrency)
    {
        var outcomes = new WriteOutcome[ops.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ops.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (i, ct) => outcomes[i] = await driver.SendAsync(ops[i], cancellationToken: ct));
        return outcomes;
    }
}
