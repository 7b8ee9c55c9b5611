using System.Text.Json.Nodes;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Writes;

/// <summary>
/// Step 2 (§5): read the snapshot and its generation, fold the change in, write with ifGenerationMatch; on 412
/// re-read and retry. The snapshot object's metadata <c>ecco-last-applied</c> holds the newest applied history key,
/// so the JSON stays exactly the entity. A change newer than that key is folded in; re-applying the change equal to
/// that key is a no-op; an older change (arrived late: a merge patch, or a full document a newer merge patch was
/// already folded onto) triggers a rebuild from history, which places it in order (no write when the fold is unchanged,
/// so an older change never overwrites a newer snapshot).
/// </summary>
public sealed class SnapshotWriter(StorageContext context, int maxAttempts = 64)
{
    /// <param name="precondition">A conditional write's condition on the snapshot, checked on every attempt right before
    /// the swap (after the no-op check, so a retried step that already applied this change still succeeds).</param>
    public async Task<SnapshotApplyResult> ApplyAsync(EntityTarget target, HistoryRecord change, SnapshotPrecondition? precondition = null,
        CancellationToken cancellationToken = default)
    {
        var reader = new EntityReader(context);
        for (var attempt = 1; ; attempt++)
        {
            var current = await reader.GetSnapshotAsync(target, cancellationToken);
            JsonObject? next;
            HistoryKey last;
            if (current?.LastApplied is { } applied && change.Key <= applied)
            {
                // Re-applying the last change is a no-op. Any OLDER change arriving late (a merge patch, or a full
                // document that a newer merge patch was already folded onto) is placed in order by a rebuild.
                if (change.Key == applied)
                {
                    return new SnapshotApplyResult(current.Document, current.Document, current.Generation, false, attempt);
                }

                ThrowIfViolated(target, precondition, current);

                var fold = HistoryFold.Fold(await reader.ReadAllHistoryAsync(target, cancellationToken));
                if (fold.Document is null || JsonNode.DeepEquals(fold.Document, current.Document))
                {
                    return new SnapshotApplyResult(current.Document, current.Document, current.Generation, false, attempt);
                }

                next = fold.Document;
                last = fold.LastApplied!.Value;
            }
            else
            {
                ThrowIfViolated(target, precondition, current);
                next = HistoryFold.Step(current?.Document, change);
                last = change.Key;
            }

            try
            {
                var written = await WriteAsync(target, next, last, current?.Generation, cancellationToken);
                return new SnapshotApplyResult(current?.Document, next, written, true, attempt) { BeforeLastApplied = current?.LastApplied };
            }
            catch (PreconditionFailedException) when (attempt < maxAttempts)
            {
                // Someone else wrote in between: re-read and fold again.
            }
        }
    }

    private static void ThrowIfViolated(EntityTarget target, SnapshotPrecondition? precondition, SnapshotState? current)
    {
        if (precondition?.Violation(current) is { } violation)
        {
            throw new SnapshotPreconditionFailedException($"Precondition failed for {target}: {violation} Another write changed it after this one was accepted.");
        }
    }

    /// <summary>
    /// Rebuilds the snapshot from all history (ordered, compensations honoured); no-op when already equal. When
    /// history folds to nothing (a tombstone last, or every record compensated) the snapshot is deleted (CAS) and
    /// the result is null.
    /// </summary>
    public async Task<SnapshotApplyResult?> RebuildAsync(EntityTarget target, CancellationToken cancellationToken = default)
    {
        var reader = new EntityReader(context);
        for (var attempt = 1; ; attempt++)
        {
            var current = await reader.GetSnapshotAsync(target, cancellationToken);
            var fold = HistoryFold.Fold(await reader.ReadAllHistoryAsync(target, cancellationToken));
            if (fold.Document is null)
            {
                if (current is null)
                {
                    return null;
                }

                try
                {
                    await context.Store.DeleteAsync(context.Bucket(target.Env), ObjectPaths.Snapshot(target), current.Generation, cancellationToken);
                    return null;
                }
                catch (PreconditionFailedException) when (attempt < maxAttempts)
                {
                    continue; // a writer moved it: fold again
                }
            }

            if (current is not null && current.LastApplied == fold.LastApplied && JsonNode.DeepEquals(current.Document, fold.Document))
            {
                return new SnapshotApplyResult(current.Document, current.Document, current.Generation, false, attempt);
            }

            try
            {
                var written = await WriteAsync(target, fold.Document, fold.LastApplied!.Value, current?.Generation, cancellationToken);
                return new SnapshotApplyResult(current?.Document, fold.Document, written, true, attempt) { BeforeLastApplied = current?.LastApplied };
            }
            catch (PreconditionFailedException) when (attempt < maxAttempts)
            {
            }
        }
    }

    internal async Task<long> WriteAsync(EntityTarget target, JsonObject document, HistoryKey last, long? expectedGeneration, CancellationToken cancellationToken)
    {
        var options = PutOptions.Expecting(expectedGeneration) with
        {
            Metadata = new Dictionary<string, string> { [StorageContext.LastAppliedMetadataKey] = last.ToString() },
        };
        var info = await context.Store.PutAsync(context.Bucket(target.Env), ObjectPaths.Snapshot(target), JsonText.ToBytes(document), options, cancellationToken);
        return info.Generation;
    }
}
