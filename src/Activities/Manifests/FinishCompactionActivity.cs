using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Manifests;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Manifests;

/// <summary>Input: the plan from <see cref="BeginCompactionActivity"/> and each shard's line count.</summary>
public sealed record FinishCompactionInput(string Env, string Entity, CompactionPlan Plan, IReadOnlyList<int> ShardCounts);

/// <summary>
/// Compaction step 3: <c>_index.ndjson</c> replaced by CAS on the generation read at the start; false when another
/// compaction published first (this one is then discarded). A retry after success finds its own header: true.
/// </summary>
public sealed class FinishCompactionActivity(StorageContext storage) : TaskActivity<FinishCompactionInput, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, FinishCompactionInput input) =>
        new ShardedManifestCompaction(storage).FinishAsync(input.Env, EntityCatalog.Get(input.Entity), input.Plan, input.ShardCounts);
}
