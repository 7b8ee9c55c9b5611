using System.CommandLine;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Naming;

namespace EccoStudio.Host.Verify;

/// <summary>
/// <c>verify --env dev [--entity ventures]... [--repair] [--gcs http://127.0.0.1:4443/|production] [--bucket NAME]
/// [--schemas DIR] [--max-differences 20]</c> → <see cref="VerifySettings"/>.
/// </summary>
public static class VerifyCommandLine
{
    public static Option<string> Env { get; } = Checked(
        new Option<string>("--env") { Description = "Environment to check (dev, stg, prod)", DefaultValueFactory = _ => "dev" },
        value => Identifiers.Environments.Contains(value, StringComparer.Ordinal) ? null : $"--env '{value}' is not valid: use dev, stg or prod.");

    public static Option<string[]> Entity { get; } = Checked(
        new Option<string[]>("--entity") { Description = "Entity kind(s) to check, by folder (ventures) or name (venture); repeat or comma-separate; default all", AllowMultipleArgumentsPerToken = true },
        values => Split(values).Select(v => TryKind(v) is null ? v : null).FirstOrDefault(v => v is not null) is { } bad
            ? $"--entity '{bad}' is not an entity kind (e.g. ventures, cap_tables)."
            : null);

    public static Option<bool> Repair { get; } = new("--repair") { Description = "Start reconcile orchestrations for drifted entities, then check again" };

    public static Option<string> Gcs { get; } = Checked(
        new Option<string>("--gcs") { Description = "GCS emulator endpoint, or 'production' for Google Cloud Storage", DefaultValueFactory = _ => "http://127.0.0.1:4443/" },
        value => value == "production" || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            ? null
            : $"--gcs '{value}' is not an http(s) URL or 'production'.");

    public static Option<string> Bucket { get; } = Checked(
        new Option<string>("--bucket") { Description = "Bucket to check", DefaultValueFactory = _ => Storage.Layout.StorageLayoutOptions.DefaultBucket },
        value => value.Length is >= 3 and <= 222 && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.')
            ? null
            : $"--bucket '{value}' is not a valid bucket name.");

    public static Option<string?> Schemas { get; } = new("--schemas") { Description = "Folder holding indices.json (default: the repo's schemas/)" };

    public static Option<int> MaxDifferences { get; } = Checked(
        new Option<int>("--max-differences") { Description = "Differences printed verbatim", DefaultValueFactory = _ => 20 },
        value => value is >= 0 and <= 10_000 ? null : "--max-differences must be within 0..10000.");

    public static Command Create(Func<VerifySettings, CancellationToken, Task<int>> run)
    {
        var command = new Command("verify", "Check that snapshots, manifest entries and index pointers equal what history says; --repair reconciles drift")
        {
            Env, Entity, Repair, Gcs, Bucket, Schemas, MaxDifferences,
        };
        command.SetAction((result, cancellationToken) => run(ToSettings(result), cancellationToken));
        return command;
    }

    public static VerifySettings ToSettings(ParseResult result)
    {
        var gcs = result.GetValue(Gcs) ?? "http://127.0.0.1:4443/";
        return new VerifySettings
        {
            Env = result.GetValue(Env) ?? "dev",
            Entities = Split(result.GetValue(Entity) ?? []).Select(v => TryKind(v)!.Name).Distinct(StringComparer.Ordinal).ToList(),
            Repair = result.GetValue(Repair),
            Gcs = gcs == "production" ? null : new Uri(gcs.EndsWith('/') ? gcs : gcs + "/"),
            Bucket = result.GetValue(Bucket) ?? Storage.Layout.StorageLayoutOptions.DefaultBucket,
            SchemasFolder = result.GetValue(Schemas),
            MaxDifferences = result.GetValue(MaxDifferences),
        };
    }

    /// <summary>The kind named by folder (<c>ventures</c>) or envelope name (<c>venture</c>); null when neither.</summary>
    public static EntityKind? TryKind(string value) =>
        EntityCatalog.TryGetByPrefix(value, out var byPrefix) ? byPrefix : EntityCatalog.TryGet(value, out var byName) ? byName : null;

    private static IEnumerable<string> Split(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Adds a validator that turns a converted value into one error line (null = fine).</summary>
    public static Option<T> Checked<T>(Option<T> option, Func<T, string?> check)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0)
            {
                return;
            }

            T value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return; // the token does not convert: the parser already reports that as an error
            }

            if (value is not null && check(value) is { } error)
            {
                result.AddError(error);
            }
        });
        return option;
    }
}
