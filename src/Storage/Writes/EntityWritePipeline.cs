using System.Text.Json.Nodes;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Snapshots;

namespace EccoStudio.Storage.Writes;

/// <summary>
/// The §5 write in one call (history → snapshot → manifest entry → index pointers). Orchestrations call the steps
/// separately; this is the same sequence for tests, tools and the benchmark.
/// </summary>
public sealed class EntityWritePipeline(StorageContext context)
{
    public async Task<WriteOutcome> WriteAsync(EntityTarget target, JsonObject document, Ulid ulid, ChangeKind change = ChangeKind.Full,
        CancellationToken cancellationToken = default)
    {
        var prepared = await new ChangeValidator(context).PrepareAsync(target, document, ulid, change, cancellationToken);
        var created = await new HistoryWriter(context).AppendAsync(prepared, cancellationToken);
        var snapshot = await new SnapshotWriter(context).ApplyAsync(target, prepared.Record, cancellationToken: cancellationToken);
        await new ManifestWriter(context).UpsertEntryAsync(target, snapshot.After, snapshot.Generation, cancellationToken);
        var indexOps = await new IndexWriter(context).SyncAsync(target, snapshot.Before, snapshot.After, snapshot.Generation,
            trustPlan: !snapshot.PendingPointers, cancellationToken: cancellationToken);
        return new WriteOutcome(prepared.ObjectName, created, snapshot, indexOps);
    }
}

/// <summary>What a pipeline write did.</summary>
public sealed record WriteOutcome(string HistoryObject, bool HistoryCreated, SnapshotApplyResult Snapshot, int IndexWrites);
