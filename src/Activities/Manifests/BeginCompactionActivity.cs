using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Manifests;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Manifests;

/// <summary>Input: env + entity, the compaction id (fixed by the orchestrator) and the shard size.</summary>
public sealed record BeginCompactionInput(string Env, string Entity, string CompactionId, int ShardSize);

/// <summary>
/// Compaction step 1: marker + watermark + the index generation to replace + shard boundaries
/// (<see cref="ShardedManifestCompaction.BeginAsync"/>). A retry reuses the marker written by an earlier attempt.
/// </summary>
public sealed class BeginCompactionActivity(StorageContext storage) : TaskActivity<BeginCompactionInput, CompactionPlan>
{
    public override Task<CompactionPlan> RunAsync(TaskActivityContext context, BeginCompactionInput input) =>
        new ShardedManifestCompaction(storage).BeginAsync(input.Env, EntityCatalog.Get(input.Entity), input.CompactionId, input.ShardSize);
}
