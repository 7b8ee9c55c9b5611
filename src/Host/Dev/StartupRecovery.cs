using EccoStudio.Host.Verify;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Consistency;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Host.Dev;

/// <summary>What the startup sweep found and did, per environment.</summary>
public sealed record RecoveryResult(string Env, long Entities, int Drifted, int Reconciled, bool ConsistentAfter);

/// <summary>
/// The in-memory engine forgets every orchestration when the process dies, so a write whose history object landed
/// but whose snapshot, manifest or index steps had not run stays half-applied after a restart. At start, dev checks
/// each served environment the way <c>verify</c> does and reconciles what drifted, through the same
/// <c>ReconcileEntityOrchestrator</c> (CAS-only, safe next to new writes). Bounded by <see cref="MaxDuration"/>: what
/// it has not reached by then is left to <c>verify --repair</c>, and it says so.
/// </summary>
public sealed partial class StartupRecovery(StorageContext storage, DurableTaskClient client, ILogger<StartupRecovery> logger)
{
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(5);

    public async Task<IReadOnlyList<RecoveryResult>> RunAsync(IEnumerable<string> environments, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(MaxDuration);
        var results = new List<RecoveryResult>();
        try
        {
            var checker = new ConsistencyChecker(storage);
            foreach (var env in environments)
            {
                var repair = await ConsistencyRepair.RunAsync(checker, new DurableReconciler(client), env, kinds: null, cancellationToken: bounded.Token);
                var result = new RecoveryResult(env, repair.Before.EntitiesChecked, repair.Before.DriftedEntities.Count, repair.Reconciled, repair.After.IsConsistent);
                LogRecovered(logger, env, result.Entities, result.Drifted, result.Reconciled, result.ConsistentAfter ? "consistent" : "drift remains: run verify --repair");
                results.Add(result);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogCutShort(logger, MaxDuration.TotalMinutes);
        }

        return results;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Startup recovery of {Env}: {Entities} entities checked, {Drifted} drifted, {Reconciled} reconciled; {Outcome}")]
    private static partial void LogRecovered(ILogger logger, string env, long entities, int drifted, int reconciled, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Startup recovery stopped after {Minutes} minutes; run verify --repair for what it did not reach")]
    private static partial void LogCutShort(ILogger logger, double minutes);
}
