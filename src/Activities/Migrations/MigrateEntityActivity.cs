using EccoStudio.Activities.Common;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Migrations;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Migrations;

/// <summary>Input: the entity and the version to bring its snapshot to.</summary>
public sealed record MigrateEntityInput(EntityRef Entity, string To);

/// <summary>
/// One entity of a migration (<see cref="SnapshotMigrator.MigrateAsync"/>): the snapshot rebuilt from history at the
/// target version when it is behind (CAS; a concurrent write folded in, never lost), then its manifest entry and
/// index pointers made to follow it. Idempotent: a retry, or a run after a kill, finds the snapshot at the target and
/// only checks (and finishes) the derived objects. History is never written.
/// </summary>
public sealed class MigrateEntityActivity(StorageContext storage) : TaskActivity<MigrateEntityInput, EntityMigrationResult>
{
    public override Task<EntityMigrationResult> RunAsync(TaskActivityContext context, MigrateEntityInput input) =>
        new SnapshotMigrator(storage).MigrateAsync(input.Entity.ToTarget(), SchemaVersion.Parse(input.To));
}
