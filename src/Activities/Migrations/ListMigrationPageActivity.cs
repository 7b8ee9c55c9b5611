using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Migrations;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Migrations;

/// <summary>Input: which kind's snapshots, from which page token (null = the first page), how many per page.</summary>
public sealed record ListMigrationPageInput(string Env, string Entity, string? PageToken, int PageSize);

/// <summary>One page of snapshot ids and the token of the next page (null after the last).</summary>
public sealed record MigrationPageOutput(IReadOnlyList<string> Ids, string? NextPageToken);

/// <summary>
/// Lists one page of the kind's snapshots (<see cref="SnapshotMigrator.ListPageAsync"/>). Read-only; the page token
/// names the last object listed, so a migration that continues later (a new execution, a restarted host) picks up
/// after it, whatever was created or deleted meanwhile.
/// </summary>
public sealed class ListMigrationPageActivity(StorageContext storage) : TaskActivity<ListMigrationPageInput, MigrationPageOutput>
{
    public override async Task<MigrationPageOutput> RunAsync(TaskActivityContext context, ListMigrationPageInput input)
    {
        var (ids, next) = await new SnapshotMigrator(storage).ListPageAsync(input.Env, EntityCatalog.Get(input.Entity), input.PageToken, input.PageSize);
        return new MigrationPageOutput(ids, next);
    }
}
