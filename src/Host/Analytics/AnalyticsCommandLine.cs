using System.CommandLine;
using EccoStudio.Host.Verify;
using EccoStudio.Storage.Analytics;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Schemas;

namespace EccoStudio.Host.Analytics;

/// <summary>
/// <c>analytics ddl --env dev --project P --dataset D [--bucket NAME] [--schemas DIR]</c>: prints the BigQuery DDL
/// for every entity kind (docs/analytics.md). Reads only the repo's schemas; exit 0, or 2 for bad input.
/// <c>analytics export --env dev --to DIR [--entity K]... [--gcs URL|production] [--bucket NAME]</c> →
/// <see cref="AnalyticsExportSettings"/>: one ndjson file of current snapshots per kind (env, entity, GCS and bucket
/// options are verify's).
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

    public static Option<string> To { get; } = VerifyCommandLine.Checked(
        new Option<string>("--to") { Description = "Folder the {entity}.ndjson files are written to (created when missing)", Required = true },
        value => !string.IsNullOrWhiteSpace(value) && value.IndexOfAny(Path.GetInvalidPathChars()) < 0 ? null : $"--to '{value}' is not a folder path.");

    public static Command Create(Func<AnalyticsExportSettings, CancellationToken, Task<int>>? export = null, TextWriter? output = null)
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
        var exportCommand = new Command("export", "Write one newline-delimited JSON file of current snapshots per entity kind, for scheduled loads")
        {
            VerifyCommandLine.Env, To, VerifyCommandLine.Entity, VerifyCommandLine.Gcs, VerifyCommandLine.Bucket,
        };
        exportCommand.SetAction((result, cancellationToken) => (export ?? AnalyticsExportRunner.RunAsync)(ToExportSettings(result), cancellationToken));
        return new Command("analytics", "BigQuery integration (spec §11)") { ddl, exportCommand };
    }

    public static AnalyticsExportSettings ToExportSettings(ParseResult result)
    {
        var gcs = result.GetValue(VerifyCommandLine.Gcs) ?? "http://127.0.0.1:4443/";
        return new AnalyticsExportSettings
        {
            Env = result.GetValue(VerifyCommandLine.Env) ?? "dev",
            Entities = (result.GetValue(VerifyCommandLine.Entity) ?? [])
                .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(v => VerifyCommandLine.TryKind(v)!.Name).Distinct(StringComparer.Ordinal).ToList(),
            To = result.GetValue(To)!,
            Gcs = gcs == "production" ? null : new Uri(gcs.EndsWith('/') ? gcs : gcs + "/"),
            Bucket = result.GetValue(VerifyCommandLine.Bucket) ?? Storage.Layout.StorageLayoutOptions.DefaultBucket,
        };
    }

    /// <summary>The DDL of every kind, in catalog order.</summary>
    public static string Ddl(string schemasFolder, string env, string project, string dataset, string bucket)
    {
        var migrations = Storage.Migrations.SchemaMigrations.Load(schemasFolder);
        return string.Join("\n", EntityCatalog.All.Select(kind =>
            BigQueryDdl.For(kind, BigQueryDdl.FromFolder(schemasFolder, kind), env, project, dataset, bucket, migrations.For(kind))));
    }
}
