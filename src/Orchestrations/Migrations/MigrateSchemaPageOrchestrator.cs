using EccoStudio.Activities.Common;
using EccoStudio.Activities.Migrations;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Orchestrations.Steps;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Migrations;
using Microsoft.DurableTask;

namespace EccoStudio.Orchestrations.Migrations;

/// <summary>Input: one page of a migration (its number and the snapshot ids listed on it).</summary>
public sealed record MigrateSchemaPageInput(string Env, string Entity, string To, int Page, IReadOnlyList<string> Ids);

/// <summary>What one page did: counts by outcome and the entities that failed for good.</summary>
public sealed record MigrateSchemaPageResult(int Page, MigrationCounts Counts, IReadOnlyList<MigrationFailure> Failures);

/// <summary>
/// One page of <see cref="MigrateSchemaOrchestrator"/>: <see cref="MigrateEntityActivity"/> for every id of the page
/// at once (a page is the unit of parallelism: its size bounds the activities in flight), each under the write path's
/// retry policy. An entity that still fails is reported, not thrown: the other entities of the run go on, and the
/// run ends naming it (a later run finishes it; every step is idempotent).
/// </summary>
public sealed class MigrateSchemaPageOrchestrator(WritePathOptions options) : TaskOrchestrator<MigrateSchemaPageInput, MigrateSchemaPageResult>
{
    public override async Task<MigrateSchemaPageResult> RunAsync(TaskOrchestrationContext context, MigrateSchemaPageInput input)
    {
        var retry = MigrateSchemaOrchestrator.Retry(options);
        var tasks = input.Ids.Select(id => Migrate(id)).ToList();
        var outcomes = await Task.WhenAll(tasks);
        var counts = MigrationCounts.Empty;
        var failures = new List<MigrationFailure>();
        foreach (var (result, failure) in outcomes)
        {
            if (result is not null)
            {
                counts = counts.Add(result);
            }
            else
            {
                counts = counts.AddFailure();
                failures.Add(failure!);
            }
        }

        return new MigrateSchemaPageResult(input.Page, counts, failures);

        async Task<(EntityMigrationResult? Result, MigrationFailure? Failure)> Migrate(string id)
        {
            var entity = EntityRef.From(EntityTarget.Of(input.Env, input.Entity, id));
            try
            {
                return (await context.CallActivityAsync<EntityMigrationResult>(nameof(MigrateEntityActivity), new MigrateEntityInput(entity, input.To), retry), null);
            }
            catch (TaskFailedException failure)
            {
                return (null, new MigrationFailure(id, StepFailures.Describe(failure)));
            }
        }
    }
}
