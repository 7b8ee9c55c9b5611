using System.CommandLine;
using EccoStudio.Host.Verify;
using EccoStudio.Storage.Analytics;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Schemas;

namespace EccoStudio.Host.Analytics;

/// <summary>
/// <c>analytics ddl --env dev --project P --dataset D [--bucket NAME] [--schemas DIR]</c>: prints the BigQuery DDL
/// for every entity kind (docs/analytics.md). Reads only the repo's schemas; exit 0, or 2 for bad input.
/// </summary>
public static class AnalyticsCommandLine
{
    public static Option<string?> Project { get; } = VerifyCommandLine.Checked(
        new Option<string?>("--project") { Description = "Google Cloud project of the dataset", Required = true },
        value => value is not null && value.Length is >= 6 and <= 30 && char.IsAsciiLetterLower(value[0]) && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            ? null
            : $"--project '{value}' is not a project id (6-30 lowercase letters, digits, hyphens).");

    public static Option<string?> Dataset { get; } = VerifyCommandLine.Checked(
        new Option<string?>("--dataset") { Description = "BigQuery dataset the tables and views go in", Required = true },
        value => value is not null && value.Length is >= 1 and <= 1024 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? null
            : $"--dataset '{value}' is not a dataset name (letters, digits, underscores).");

    public static Command Create(TextWriter? output = null)
    {
        var ddl = new Command("ddl", "Print BigQuery DDL: external tables over snapshots and history per entity kind, and views")
        {
            VerifyCommandLine.Env, Project, Dataset, VerifyCommandLine.Bucket, VerifyCommandLine.Schemas,
        };
        ddl.SetAction(async (result, cancellationToken) =>
        {
            var schemas = result.GetValue(VerifyCommandLine.Schemas) ?? FolderSchemaSource.FindRepoSchemas();
            await (output ?? Console.Out).WriteAsync(Ddl(schemas, result.GetValue(VerifyCommandLine.Env) ?? "dev", result.GetValue(Project)!, result.GetValue(Dataset)!,
                result.GetValue(VerifyCommandLine.Bucket) ?? Storage.Layout.StorageLayoutOptions.DefaultBucket));
            return 0;
        });
        return new Command("analytics", "BigQuery integration (spec §11)") { ddl };
    }

    /// <summary>The DDL of every kind, in catalog order.</summary>
    public static string Ddl(string schemasFolder, string env, string project, string dataset, string bucket) =>
        string.Join("\n", EntityCatalog.All.Select(kind => BigQueryDdl.For(kind, BigQueryDdl.FromFolder(schemasFolder, kind), env, project, dataset, bucket)));
}
