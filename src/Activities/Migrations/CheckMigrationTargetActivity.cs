using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Migrations;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Migrations;

/// <summary>Input: env, entity kind (envelope name) and target version of a migration.</summary>
public sealed record CheckMigrationTargetInput(string Env, string Entity, string To);

/// <summary>
/// The first step of a migration: the checks of <see cref="SnapshotMigrator.CheckTargetAsync"/> (a published target
/// that is the latest version of the kind). A refusal is an input error, not retried: the run ends before anything is
/// written. Returns the chain as text (<c>venture: 1.0.0 → 1.1.0</c>).
/// </summary>
public sealed class CheckMigrationTargetActivity(StorageContext storage) : TaskActivity<CheckMigrationTargetInput, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, CheckMigrationTargetInput input) =>
        (await new SnapshotMigrator(storage).CheckTargetAsync(input.Env, EntityCatalog.Get(input.Entity), SchemaVersion.Parse(input.To))).ToString();
}
