using EccoStudio.Api.Configuration;
using EccoStudio.Api.Writes;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Storage.Catalog;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EccoStudio.Triggers.Timers;

/// <summary>
/// Hourly manifest compaction: one CompactManifestOrchestrator per served env × entity, instance id
/// <see cref="InstanceIds.HourlyCompaction"/> (a timer firing twice in an hour starts each at most once).
/// </summary>
public sealed partial class CompactionFunctions(IEntityWorkScheduler scheduler, IOptions<EccoApiOptions> options, TimeProvider time, ILogger<CompactionFunctions> logger)
{
    public const string Schedule = "0 7 * * * *";

    [Function("CompactManifestsTimer")]
    public async Task CompactManifestsTimer([TimerTrigger(Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        var now = time.GetUtcNow();
        var started = 0;
        foreach (var env in options.Value.Environments)
        {
            foreach (var kind in EntityCatalog.All)
            {
                if (await scheduler.StartCompactionAsync(client, InstanceIds.HourlyCompaction(env, kind.Name, now), env, kind.Name, context.CancellationToken))
                {
                    started++;
                }
            }
        }

        LogStarted(logger, started, timer.IsPastDue);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Manifest compaction: {Count} orchestrations started (past due: {PastDue})")]
    private static partial void LogStarted(ILogger logger, int count, bool pastDue);
}
