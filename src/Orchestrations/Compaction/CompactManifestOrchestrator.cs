using EccoStudio.Activities.Manifests;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Orchestrations.Steps;
using EccoStudio.Storage.Catalog;
using EccoStudio.Telemetry;
using Microsoft.DurableTask;

namespace EccoStudio.Orchestrations.Compaction;

/// <summary>
/// Input: env + entity (envelope name); <see cref="Every"/> makes it eternal (compact, sleep on a durable timer,
/// ContinueAsNew); <see cref="ShardSize"/> overrides the configured shard size; <see cref="Run"/> counts generations.
/// </summary>
public sealed record CompactManifestInput(string Env, string Entity, TimeSpan? Every = null, int? ShardSize = null, int Run = 0);

/// <summary>One compaction: its id, shards, entries and whether it was published (false: another compaction won).</summary>
public sealed record CompactManifestResult(string CompactionId, int Shards, int Entries, bool Published, int Run);

/// <summary>
/// Compacts the per-id manifest entries of one env+entity into sharded ndjson: begin (marker, watermark, boundaries),
/// fan out one activity per shard, then publish <c>_index.ndjson</c> by CAS. Safe while writes continue (watermark
/// rule, see <c>docs/storage-model.md</c>) and restartable (every step is idempotent by compaction id). Schedulable
/// either as an eternal instance (<see cref="CompactManifestInput.Every"/>: durable timer + ContinueAsNew, instance id
/// <see cref="InstanceIds.Compaction"/> started with dedupe) or as single runs started by a timer trigger.
/// </summary>
public sealed class CompactManifestOrchestrator(WritePathOptions options) : TaskOrchestrator<CompactManifestInput, CompactManifestResult>
{
    public override async Task<CompactManifestResult> RunAsync(TaskOrchestrationContext context, CompactManifestInput input)
    {
        _ = EntityCatalog.Get(input.Entity);
        var steps = new StepTracker(context, options.Retry, null, "compaction");
        var compactionId = DeterministicUlid.Create(context.CurrentUtcDateTime, context.NewGuid()).ToString();

        steps.Begin("begin");
        var plan = await context.CallActivityAsync<Storage.Manifests.CompactionPlan>(nameof(BeginCompactionActivity),
            new BeginCompactionInput(input.Env, input.Entity, compactionId, input.ShardSize ?? options.ManifestShardSize), steps.Options("begin"));
        steps.Complete("begin");

        steps.Begin("shards");
        var shardTasks = Enumerable.Range(0, plan.ShardCount)
            .Select(i => context.CallActivityAsync<int>(nameof(WriteManifestShardActivity),
                new WriteManifestShardInput(input.Env, input.Entity, compactionId, i, plan.Lower(i), plan.Upper(i)), steps.Options("shards")))
            .ToList();
        var counts = await Task.WhenAll(shardTasks);
        steps.Complete("shards");

        steps.Begin("publish");
        var published = await context.CallActivityAsync<bool>(nameof(FinishCompactionActivity),
            new FinishCompactionInput(input.Env, input.Entity, plan, counts), steps.Options("publish"));
        steps.Complete("publish");

        var result = new CompactManifestResult(compactionId, plan.ShardCount, counts.Sum(), published, input.Run);
        if (!context.IsReplaying)
        {
            var tags = WriteTelemetry.EntityTags(input.Env, input.Entity);
            MaintenanceTelemetry.CompactedEntries.Add(result.Entries, tags);
            tags.Add(EccoTags.Outcome, published ? "published" : "superseded");
            MaintenanceTelemetry.Compactions.Add(1, tags);
        }
        if (input.Every is { } every && every > TimeSpan.Zero)
        {
            steps.Finish("sleeping");
            await context.CreateTimer(context.CurrentUtcDateTime.Add(every), CancellationToken.None);
            context.ContinueAsNew(input with { Run = input.Run + 1 });
            return result;
        }

        steps.Finish("completed");
        return result;
    }
}
