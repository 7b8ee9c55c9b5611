using System.Text.Json.Nodes;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;

namespace EccoStudio.Storage.Snapshots;

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
            var chain = context.Chain(target.Kind);
            if (current is not null && ((current.LastApplied is { } applied && change.Key <= applied) || chain.IsBehind(current.Document)))
            {
                // Re-applying the last change is a no-op. Any OLDER change arriving late (a merge patch, or a full
                // document that a newer merge patch was already folded onto) is placed in order by a rebuild. So is
                // any change to a snapshot at an older schema version than its kind's latest (written before the
                // version existed, not migrated yet): the fold of all history is what the migrated snapshot must be.
                if (change.Key == current.LastApplied)
                {
                    return new SnapshotApplyResult(current.Document, current.Document, current.Generation, false, attempt)
                    {
                        BeforeGeneration = current.Generation,
                        PendingPointers = !current.Pending.IsEmpty,
                    };
                }

                ThrowIfViolated(target, precondition, current);
                var (fold, names) = await FoldHistoryAsync(reader, target, cancellationToken);
                if (fold.Document is null || JsonNode.DeepEquals(fold.Document, current.Document))
                {
                    return new SnapshotApplyResult(current.Document, current.Document, current.Generation, false, attempt)
                    {
                        BeforeGeneration = current.Generation,
                        PendingPointers = !current.Pending.IsEmpty,
                    };
                }

                try
                {
                    var rebuilt = await WriteFromHistoryAsync(reader, target, fold, names, current, cancellationToken);
                    return new SnapshotApplyResult(current.Document, rebuilt.Document, rebuilt.Generation, true, attempt)
                    {
                        BeforeLastApplied = current.LastApplied,
                        BeforeGeneration = current.Generation,
                        PendingPointers = !rebuilt.Pending.IsEmpty,
                    };
                }
                catch (PreconditionFailedException) when (attempt < maxAttempts)
                {
                    continue;
                }
            }
            else
            {
                ThrowIfViolated(target, precondition, current);
                next = HistoryFold.Step(current?.Document, change, chain);
                last = change.Key;
            }

            try
            {
                var written = await WriteAsync(target, next, last, current, cancellationToken);
                return new SnapshotApplyResult(current?.Document, next, written.Generation, true, attempt)
                {
                    BeforeLastApplied = current?.LastApplied,
                    BeforeGeneration = current?.Generation ?? 0,
                    PendingPointers = !written.Pending.IsEmpty,
                };
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
            var (fold, names) = await FoldHistoryAsync(reader, target, cancellationToken);
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
                return new SnapshotApplyResult(current.Document, current.Document, current.Generation, false, attempt)
                    {
                        BeforeGeneration = current.Generation,
                        PendingPointers = !current.Pending.IsEmpty,
                    };
            }

            try
            {
                var rebuilt = await WriteFromHistoryAsync(reader, target, fold, names, current, cancellationToken);
                return new SnapshotApplyResult(current?.Document, rebuilt.Document, rebuilt.Generation, true, attempt)
                {
                    BeforeLastApplied = current?.LastApplied,
                    BeforeGeneration = current?.Generation ?? 0,
                    PendingPointers = !rebuilt.Pending.IsEmpty,
                };
            }
            catch (PreconditionFailedException) when (attempt < maxAttempts)
            {
            }
        }
    }

    /// <summary>
    /// Writes a fold of history (CAS on <paramref name="expectedGeneration"/>), then lists history again: a record
    /// appended after the listing the fold came from may belong to a writer that already judged the OLD snapshot
    /// current and finished, so nobody else would fold it in. Such records make it fold and write again (CAS on the
    /// generation it just wrote). This is what makes a rebuild safe next to concurrent appends.
    /// </summary>
    private async Task<SnapshotState> WriteFromHistoryAsync(EntityReader reader, EntityTarget target, FoldResult fold,
        IReadOnlyList<string> names, SnapshotState? current, CancellationToken cancellationToken)
    {
        var written = await WriteAsync(target, fold.Document!, fold.LastApplied!.Value, current, cancellationToken);
        for (var round = 0; round < maxAttempts; round++)
        {
            var now = await reader.ListHistoryNamesAsync(target, cancellationToken);
            if (now.SequenceEqual(names, StringComparer.Ordinal))
            {
                break;
            }

            (fold, names) = await FoldHistoryAsync(reader, target, cancellationToken);
            if (fold.Document is null || (fold.LastApplied == written.LastApplied && JsonNode.DeepEquals(fold.Document, written.Document)))
            {
                continue;
            }

            written = await WriteAsync(target, fold.Document, fold.LastApplied!.Value, written, cancellationToken);
        }

        return written;
    }

    private async Task<(FoldResult Fold, IReadOnlyList<string> Names)> FoldHistoryAsync(EntityReader reader, EntityTarget target, CancellationToken cancellationToken)
    {
        var names = await reader.ListHistoryNamesAsync(target, cancellationToken);
        return (HistoryFold.Fold(await reader.ReadRecordsAsync(target.Env, names, cancellationToken), migrations: context.Chain(target.Kind)), names);
    }

    /// <summary>
    /// Writes <paramref name="document"/> over <paramref name="current"/> (create-only when null), CAS on its
    /// generation, with the last-applied key and the pointers still pending removal (<see cref="PendingPointers"/>) in
    /// its metadata. Every snapshot write goes through here, so no move of the snapshot can lose the pending list.
    /// </summary>
    internal async Task<SnapshotState> WriteAsync(EntityTarget target, JsonObject document, HistoryKey? last, SnapshotState? current, CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, string>();
        if (last is not null)
        {
            metadata[StorageContext.LastAppliedMetadataKey] = last.Value.ToString();
        }

        var pending = PendingPointers.Next(new IndexPlanner(context.Indices), target, current, document).Format();
        if (pending.Length > 0)
        {
            metadata[PendingPointers.MetadataKey] = pending;
        }

        var options = PutOptions.Expecting(current?.Generation) with { Metadata = metadata };
        var info = await context.Store.PutAsync(context.Bucket(target.Env), ObjectPaths.Snapshot(target), JsonText.ToBytes(document), options, cancellationToken);
        return new SnapshotState(document, info.Generation, last) { Metageneration = info.Metageneration, Pending = PendingPointers.Parse(metadata) };
    }
}
