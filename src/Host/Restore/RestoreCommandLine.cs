using System.CommandLine;
using EccoStudio.Host.Verify;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Naming;

namespace EccoStudio.Host.Restore;

/// <summary>
/// <c>restore --env dev [--entity venture] [--id V001] --as-of 2026-12-01T10:00:00Z [--apply] [--gcs URL|production]
/// [--bucket NAME] [--schemas DIR]</c> → <see cref="RestoreSettings"/>; <c>dr-drill --env dev [--as-of T]
/// [--scratch-bucket NAME] [--project P] [--gcs …] [--bucket …]</c> → <see cref="DrDrillSettings"/>.
/// Env, GCS, bucket and schemas options are verify's (one definition, one validation).
/// </summary>
public static class RestoreCommandLine
{
    public static Option<string?> Entity { get; } = VerifyCommandLine.Checked(
        new Option<string?>("--entity") { Description = "One entity kind, by folder (ventures) or name (venture); default the whole environment" },
        value => value is null || VerifyCommandLine.TryKind(value) is not null ? null : $"--entity '{value}' is not an entity kind (e.g. ventures, cap_tables).");

    public static Option<string?> Id { get; } = VerifyCommandLine.Checked(
        new Option<string?>("--id") { Description = "One entity's id (needs --entity)" },
        value => value is null || Identifiers.IsValidId(value) ? null : $"--id '{value}' is not a valid id.");

    public static Option<string?> AsOf { get; } = VerifyCommandLine.Checked(
        new Option<string?>("--as-of") { Description = "RFC 3339 UTC time to restore to, e.g. 2026-12-01T10:00:00Z" },
        value => value is null || (Rfc3339.TryParseUtc(value, out var at) && at <= DateTimeOffset.UtcNow)
            ? null
            : Rfc3339.TryParseUtc(value, out _) ? $"--as-of '{value}' is in the future." : $"--as-of '{value}' is not an RFC 3339 UTC time (e.g. 2026-12-01T10:00:00Z).");

    public static Option<bool> Apply { get; } = new("--apply") { Description = "Write the plan (default: print it only)" };

    public static Option<string?> ScratchBucket { get; } = VerifyCommandLine.Checked(
        new Option<string?>("--scratch-bucket") { Description = "Bucket the drill restores into (created when absent); default {bucket}-drill-{utc time}" },
        value => value is null || IsBucketName(value) ? null : $"--scratch-bucket '{value}' is not a valid bucket name.");

    public static Option<string> Project { get; } = new("--project") { Description = "Project a new scratch bucket is created in", DefaultValueFactory = _ => "ecco-local" };

    public static Command CreateRestore(Func<RestoreSettings, CancellationToken, Task<int>> run)
    {
        var command = new Command("restore", "Bring an env, entity kind or entity back to what was live at --as-of, from object versions (plan; --apply writes)")
        {
            VerifyCommandLine.Env, Entity, Id, AsOf, Apply, VerifyCommandLine.Gcs, VerifyCommandLine.Bucket, VerifyCommandLine.Schemas,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(AsOf) is null)
            {
                result.AddError("--as-of is required (the RFC 3339 UTC time to restore to).");
            }
            else if (result.GetResult(Id) is not null && result.GetResult(Entity) is null)
            {
                result.AddError("--id needs --entity (the id's entity kind).");
            }
        });
        command.SetAction((result, cancellationToken) => run(ToRestoreSettings(result), cancellationToken));
        return command;
    }

    public static Command CreateDrill(Func<DrDrillSettings, CancellationToken, Task<int>> run)
    {
        var command = new Command("dr-drill", "Restore an env into a scratch bucket (as of --as-of, default now) and verify it; the live bucket is only read")
        {
            VerifyCommandLine.Env, AsOf, ScratchBucket, Project, VerifyCommandLine.Gcs, VerifyCommandLine.Bucket, VerifyCommandLine.Schemas,
        };
        command.SetAction((result, cancellationToken) => run(ToDrillSettings(result), cancellationToken));
        return command;
    }

    public static RestoreSettings ToRestoreSettings(ParseResult result)
    {
        var verify = Common(result);
        var asOf = Rfc3339.TryParseUtc(result.GetValue(AsOf), out var at) ? at : throw new InvalidOperationException("--as-of was validated as required");
        return new RestoreSettings
        {
            Env = verify.Env,
            Entity = result.GetValue(Entity) is { } entity ? VerifyCommandLine.TryKind(entity)!.Name : null,
            Id = result.GetValue(Id),
            AsOf = asOf,
            Apply = result.GetValue(Apply),
            Gcs = verify.Gcs,
            Bucket = verify.Bucket,
            SchemasFolder = verify.SchemasFolder,
        };
    }

    public static DrDrillSettings ToDrillSettings(ParseResult result)
    {
        var verify = Common(result);
        return new DrDrillSettings
        {
            Env = verify.Env,
            AsOf = Rfc3339.TryParseUtc(result.GetValue(AsOf), out var asOf) ? asOf : null,
            ScratchBucket = result.GetValue(ScratchBucket),
            Project = result.GetValue(Project) ?? "ecco-local",
            Gcs = verify.Gcs,
            Bucket = verify.Bucket,
            SchemasFolder = verify.SchemasFolder,
        };
    }

    /// <summary>The options shared with verify.</summary>
    private static VerifySettings Common(ParseResult result)
    {
        var gcs = result.GetValue(VerifyCommandLine.Gcs) ?? "http://127.0.0.1:4443/";
        return new VerifySettings
        {
            Env = result.GetValue(VerifyCommandLine.Env) ?? "dev",
            Gcs = gcs == "production" ? null : new Uri(gcs.EndsWith('/') ? gcs : gcs + "/"),
            Bucket = result.GetValue(VerifyCommandLine.Bucket) ?? Storage.Layout.StorageLayoutOptions.DefaultBucket,
            SchemasFolder = result.GetValue(VerifyCommandLine.Schemas),
        };
    }

    private static bool IsBucketName(string value) =>
        value.Length is >= 3 and <= 63 && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.');
}
