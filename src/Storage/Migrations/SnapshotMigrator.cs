using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Naming;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Snapshots;
using EccoStudio.Storage.Writes;

namespace EccoStudio.Storage.Migrations;

/// <summary>
/// The storage steps of <c>migrate</c> (docs/schema-evolution.md, "migrate"): which target a migration may have
/// (<see cref="CheckTargetAsync"/>), the kind's snapshots a page at a time (<see cref="ListPageAsync"/>), and one
/// entity brought to the target version (<see cref="MigrateAsync"/>). History is never written: a snapshot behind the
/// target is rebuilt from history (<see cref="SnapshotWriter.RebuildAsync"/>: the fold migrates every record, CAS on
/// the generation read, a concurrent write re-read and folded in), then its manifest entry and index pointers are
/// made to follow it. Every step converges on what is stored, so running it again (after a crash, a kill, a second
/// run) finishes what is left and changes nothing that is done.
/// </summary>
public sealed class SnapshotMigrator(StorageContext context)
{
    /// <summary>
    /// The checks made before anything starts (nothing is written): the target is a published schema version of
    /// the kind (<see cref="UnknownSchemaVersionException"/> otherwise), and it is the version the fold keeps
    /// snapshots at: the kind's latest (<see cref="MigrationTargetException"/> for an older target, a newer one
    /// this deployment has no migration to, or a kind without migrations asked for anything but its one version).
    /// </summary>
    public async Task<MigrationChain> CheckTargetAsync(string env, EntityKind kind, SchemaVersion to, CancellationToken cancellationToken = default)
    {
        Identifiers.ValidateEnvironment(env);
        _ = await context.Schemas.GetAsync(env, kind, to, cancellationToken);
        var chain = context.Chain(kind);
        if (chain.Latest is not { } latest)
        {
            return chain; // one version: snapshots are at it already; migrate only checks and ensures
        }

        if (to < latest)
        {
            throw new MigrationTargetException(kind.Name, to, latest,
                $"--to {to} is older than {kind.Name}'s current version {latest}: snapshots are kept at the latest version (a fold would migrate them back up); nothing to do.");
        }

        if (to > latest)
        {
            throw new MigrationTargetException(kind.Name, to, latest,
                $"--to {to} is newer than {latest}, the latest {kind.Name} version this deployment has a migration to (add schemas/{kind.Name}/{SchemaMigration.FileName(to)}).");
        }

        return chain;
    }

    /// <summary>
    /// One page of the kind's snapshot ids in name order (a delimiter listing of <c>snapshots/{prefix}/</c>) and the
    /// token of the next page (null after the last). Snapshots created after a page was listed were written at the
    /// latest version by the fold; they need no migration.
    /// </summary>
    public async Task<(IReadOnlyList<string> Ids, string? NextPageToken)> ListPageAsync(string env, EntityKind kind, string? pageToken, int pageSize,
        CancellationToken cancellationToken = default)
    {
        var prefix = ObjectPaths.SnapshotPrefix(env, kind);
        var page = await context.Store.ListAsync(context.Bucket(env), prefix, "/", pageToken, pageSize, cancellationToken);
        var ids = page.Objects
            .Select(o => o.Name[prefix.Length..])
            .Where(f => f.EndsWith(".json", StringComparison.Ordinal))
            .Select(f => f[..^".json".Length])
            .Where(Identifiers.IsValidId)
            .ToList();
        return (ids, page.NextPageToken);
    }

    /// <summary>
    /// Brings one entity to <paramref name="to"/>: its snapshot (rebuilt from history when behind, left alone when at
    /// the target or ahead of it), then its manifest entry and index pointers made to follow the stored snapshot.
    /// Idempotent and safe next to writers: the rebuild is CAS on the generation it read and re-reads on a conflict
    /// (a concurrent write is folded in, never lost); a snapshot already at the target is not rewritten.
    /// </summary>
    public async Task<EntityMigrationResult> MigrateAsync(EntityTarget target, SchemaVersion to, CancellationToken cancellationToken = default)
    {
        var reader = new EntityReader(context);
        var current = await reader.GetSnapshotAsync(target, cancellationToken);
        if (current is null)
        {
            return new EntityMigrationResult(target.Id, EntityMigrationOutcome.Absent, null, 0, 0);
        }

        var from = MigrationChain.VersionOf(current.Document);
        if (from > to)
        {
            return new EntityMigrationResult(target.Id, EntityMigrationOutcome.Ahead, from?.ToString(), current.Generation, 0);
        }

        var outcome = EntityMigrationOutcome.AlreadyCurrent;
        var generation = current.Generation;
        var writes = 0;
        if (from != to)
        {
            var rebuilt = await new SnapshotWriter(context).RebuildAsync(target, cancellationToken);
            if (rebuilt is null)
            {
                // History folds to nothing (a tombstone last): the rebuild removed a snapshot that should not exist.
                outcome = EntityMigrationOutcome.Removed;
                generation = 0;
            }
            else
            {
                if (MigrationChain.VersionOf(rebuilt.After) is { } now && now != to)
                {
                    throw new SchemaMigrationException(
                        $"{target}: history folds to schema_version {now}, not {to}; the deployment's migrations end at {context.Chain(target.Kind).Latest?.ToString() ?? "none"}.");
                }

                outcome = rebuilt.Changed ? EntityMigrationOutcome.Migrated : EntityMigrationOutcome.AlreadyCurrent;
                generation = rebuilt.Generation;
                writes += rebuilt.Changed ? 1 : 0;
            }
        }

        // Ensure, not assume: a run killed after the snapshot moved left the entry and pointers to this pass. The
        // index step compares every pointer of the stored snapshot with what is stored (display fields a migration
        // renamed change pointer bodies, not names) and deletes what the snapshot's pending list names (recorded in the
        // same CAS that moved it).
        writes += await new ManifestEntryRestorer(context).EnsureMatchesSnapshotAsync(target, cancellationToken) ? 1 : 0;
        var live = await reader.GetSnapshotAsync(target, cancellationToken);
        writes += live is null
            ? await new IndexRepairer(context).RepairAsync(target, cancellationToken)
            : await new IndexWriter(context).SyncAsync(target, null, live.Document, live.Generation, trustPlan: false, cancellationToken: cancellationToken);
        return new EntityMigrationResult(target.Id, outcome, from?.ToString(), generation, writes);
    }
}

/// <summary>What <see cref="SnapshotMigrator.MigrateAsync"/> found and did for one entity.</summary>
/// <param name="From">The snapshot's schema_version before (null when absent or unreadable).</param>
/// <param name="Generation">The snapshot generation now in place (0 when none).</param>
/// <param name="Writes">Objects written: snapshot, manifest entry, pointers.</param>
public sealed record EntityMigrationResult(string Id, EntityMigrationOutcome Outcome, string? From, long Generation, int Writes);

/// <summary>How one entity came out of a migration.</summary>
public enum EntityMigrationOutcome
{
    /// <summary>The snapshot was behind and was rebuilt at the target version.</summary>
    Migrated,

    /// <summary>Already at the target (written by the new fold, or migrated by an earlier run); derived objects checked.</summary>
    AlreadyCurrent,

    /// <summary>The snapshot is at a newer version than the target: left alone.</summary>
    Ahead,

    /// <summary>No snapshot any more (deleted since the listing).</summary>
    Absent,

    /// <summary>History folds to nothing: the stale snapshot was removed.</summary>
    Removed,
}

/// <summary>A migration target that is not the version snapshots are kept at.</summary>
public sealed class MigrationTargetException : StorageModelException
{
    public MigrationTargetException(string entity, SchemaVersion target, SchemaVersion current, string message)
        : base(message)
    {
        Entity = entity;
        Target = target.ToString();
        Current = current.ToString();
    }

    public MigrationTargetException()
    {
        Entity = Target = Current = string.Empty;
    }

    public MigrationTargetException(string message)
        : base(message)
    {
        Entity = Target = Current = string.Empty;
    }

    public MigrationTargetException(string message, Exception innerException)
        : base(message, innerException)
    {
        Entity = Target = Current = string.Empty;
    }

    public string Entity { get; }

    public string Target { get; }

    public string Current { get; }
}
