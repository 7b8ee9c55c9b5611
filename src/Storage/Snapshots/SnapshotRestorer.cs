using System.Text.Json.Nodes;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;

namespace EccoStudio.Storage.Snapshots;

/// <summary>
/// Compensation of the snapshot step: puts back the snapshot a failed write replaced, but only while the snapshot
/// is still that write's (its <c>ecco-last-applied</c> metadata names the write's history key) and the prior state is
/// what history now folds to (a rebuild elsewhere may have folded older changes in under the same key); the prior
/// <c>ecco-last-applied</c> key is restored with it. When a later write already moved the snapshot on, the snapshot
/// is rebuilt from history instead (the compensation record, appended first, makes the fold skip the failed change).
/// Every write is CAS on the generation read, so a restore never overwrites a concurrent writer. Idempotent.
/// </summary>
public sealed class SnapshotRestorer(StorageContext context, int maxAttempts = 64)
{
    public async Task<SnapshotRestoreResult> RestoreAsync(EntityTarget target, HistoryKey failedChange, JsonObject? prior, HistoryKey? priorLastApplied,
        CancellationToken cancellationToken = default)
    {
        var reader = new EntityReader(context);
        var writer = new SnapshotWriter(context, maxAttempts);
        for (var attempt = 1; ; attempt++)
        {
            var current = await reader.GetSnapshotAsync(target, cancellationToken);
            if (current is null)
            {
                return new SnapshotRestoreResult(null, 0, SnapshotRestoreAction.None);
            }

            if (current.LastApplied != failedChange)
            {
                if (prior is not null && current.LastApplied == priorLastApplied && JsonNode.DeepEquals(current.Document, prior))
                {
                    return new SnapshotRestoreResult(current.Document, current.Generation, SnapshotRestoreAction.None);
                }

                var rebuilt = await writer.RebuildAsync(target, cancellationToken);
                return rebuilt is null
                    ? new SnapshotRestoreResult(null, 0, SnapshotRestoreAction.Deleted) // history folds to nothing: the rebuild removed it
                    : new SnapshotRestoreResult(rebuilt.After, rebuilt.Generation, rebuilt.Changed ? SnapshotRestoreAction.Rebuilt : SnapshotRestoreAction.None);
            }

            // Still this write's key, but a rebuild by another writer or reconcile may have folded older changes in
            // with it: the prior bytes go back only when they are what history (now skipping the failed change) folds to.
            if (priorLastApplied is not null || prior is null)
            {
                var fold = HistoryFold.Fold((await reader.ReadAllHistoryAsync(target, cancellationToken)).Where(r => r.Key != failedChange), migrations: context.Chain(target.Kind));
                var priorIsFold = prior is null
                    ? fold.Document is null
                    : fold.Document is not null && fold.LastApplied == priorLastApplied
                        && JsonNode.DeepEquals(fold.Document, context.Chain(target.Kind).Migrate(prior)); // a prior at an older schema version goes back as it was
                if (!priorIsFold && fold.Document is not null)
                {
                    var rebuilt = await writer.RebuildAsync(target, cancellationToken);
                    return rebuilt is null
                        ? new SnapshotRestoreResult(current.Document, current.Generation, SnapshotRestoreAction.None)
                        : new SnapshotRestoreResult(rebuilt.After, rebuilt.Generation, rebuilt.Changed ? SnapshotRestoreAction.Rebuilt : SnapshotRestoreAction.None);
                }

                if (!priorIsFold)
                {
                    prior = null;
                }
            }

            try
            {
                if (prior is null)
                {
                    await context.Store.DeleteAsync(context.Bucket(target.Env), ObjectPaths.Snapshot(target), current.Generation, cancellationToken);
                    return new SnapshotRestoreResult(null, 0, SnapshotRestoreAction.Deleted);
                }

                // Without a prior last-applied key (a snapshot written outside this model) the bytes go back without one.
                var written = await writer.WriteAsync(target, prior, priorLastApplied, current, cancellationToken);
                return new SnapshotRestoreResult(prior, written.Generation, SnapshotRestoreAction.Restored);
            }
            catch (PreconditionFailedException) when (attempt < maxAttempts)
            {
                // Moved meanwhile: decide again on what is there now.
            }
        }
    }
}

/// <summary>What <see cref="SnapshotRestorer"/> did and the snapshot now in place (null when absent).</summary>
public sealed record SnapshotRestoreResult(JsonObject? Snapshot, long Generation, SnapshotRestoreAction Action);

/// <summary>How a snapshot was put back.</summary>
public enum SnapshotRestoreAction
{
    /// <summary>Nothing to do (already restored, or absent).</summary>
    None,

    /// <summary>The prior content (and last-applied key) was written back.</summary>
    Restored,

    /// <summary>The write had created the snapshot: it was deleted.</summary>
    Deleted,

    /// <summary>A later write had moved the snapshot on: it was rebuilt from history without the failed change.</summary>
    Rebuilt,
}
