using System.CommandLine;
using EccoStudio.Host.Erasure;
using EccoStudio.Host.Verify;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Naming;

namespace EccoStudio.Host.Migrations;

/// <summary>
/// <c>migrate --env dev --entity venture --to 1.1.0 [--page-size 50] [--parallelism 4] [--by NAME] [--gcs URL|production]
/// [--bucket NAME] [--schemas DIR]</c> → <see cref="MigrateSettings"/>. Env, entity and target are required (a bulk
/// rewrite names where it runs); GCS, bucket and schemas options are verify's, the author option erase's.
/// </summary>
public static class MigrateCommandLine
{
    public static Option<string?> Env { get; } = VerifyCommandLine.Checked(
        new Option<string?>("--env") { Description = "Environment whose snapshots to migrate (dev, stg, prod)", Required = true },
        value => value is null || Identifiers.Environments.Contains(value, StringComparer.Ordinal) ? null : $"--env '{value}' is not valid: use dev, stg or prod.");

    public static Option<string?> Entity { get; } = VerifyCommandLine.Checked(
        new Option<string?>("--entity") { Description = "Entity kind, by name (venture) or folder (ventures)", Required = true },
        value => value is null || VerifyCommandLine.TryKind(value) is not null ? null : $"--entity '{value}' is not an entity kind (e.g. venture, cap_tables).");

    public static Option<string?> To { get; } = VerifyCommandLine.Checked(
        new Option<string?>("--to") { Description = "Target schema version (MAJOR.MINOR.PATCH): the kind's latest", Required = true },
        value => value is null || SchemaVersion.TryParse(value, out _) ? null : $"--to '{value}' is not a schema version (MAJOR.MINOR.PATCH, e.g. 1.1.0).");

    public static Option<int> PageSize { get; } = VerifyCommandLine.Checked(
        new Option<int>("--page-size") { Description = "Snapshots per page: the entity migrations one page runs at once", DefaultValueFactory = _ => 50 },
        value => value is >= 1 and <= 1000 ? null : "--page-size must be within 1..1000.");

    public static Option<int> Parallelism { get; } = VerifyCommandLine.Checked(
        new Option<int>("--parallelism") { Description = "Pages at once", DefaultValueFactory = _ => 4 },
        value => value is >= 1 and <= 64 ? null : "--parallelism must be within 1..64.");

    public static Command Create(Func<MigrateSettings, CancellationToken, Task<int>> run)
    {
        var command = new Command("migrate", "Rewrite every snapshot of one entity kind at its latest schema version (history untouched), then verify")
        {
            Env, Entity, To, PageSize, Parallelism, EraseCommandLine.By, VerifyCommandLine.Gcs, VerifyCommandLine.Bucket, VerifyCommandLine.Schemas,
        };
        command.SetAction((result, cancellationToken) => run(ToSettings(result), cancellationToken));
        return command;
    }

    public static MigrateSettings ToSettings(ParseResult result)
    {
        var gcs = result.GetValue(VerifyCommandLine.Gcs) ?? "http://127.0.0.1:4443/";
        return new MigrateSettings
        {
            Env = result.GetValue(Env)!,
            Entity = VerifyCommandLine.TryKind(result.GetValue(Entity)!)!.Name,
            To = SchemaVersion.Parse(result.GetValue(To)!).ToString(),
            PageSize = result.GetValue(PageSize),
            Parallelism = result.GetValue(Parallelism),
            RequestedBy = result.GetValue(EraseCommandLine.By) ?? Environment.UserName,
            Gcs = gcs == "production" ? null : new Uri(gcs.EndsWith('/') ? gcs : gcs + "/"),
            Bucket = result.GetValue(VerifyCommandLine.Bucket) ?? Storage.Layout.StorageLayoutOptions.DefaultBucket,
            SchemasFolder = result.GetValue(VerifyCommandLine.Schemas),
        };
    }
}
