using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Manifests;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Manifests;

/// <summary>Input: which shard of which compaction, and its entry-name range.</summary>
public sealed record WriteManifestShardInput(string Env, string Entity, string CompactionId, int Shard, string? LowerInclusive, string? UpperExclusive);

/// <summary>Compaction step 2 (fan-out): one shard, create-only under a name fixed by compaction id + shard number. Returns its line count.</summary>
public sealed class WriteManifestShardActivity(StorageContext storage) : TaskActivity<WriteManifestShardInput, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, WriteManifestShardInput input) =>
        new ShardedManifestCompaction(storage).WriteShardAsync(input.Env, EntityCatalog.Get(input.Entity), input.CompactionId, input.Shard,
            input.LowerInclusive, input.UpperExclusive);
}
