using System.CommandLine;
using EccoStudio.Host.Verify;
using EccoStudio.Storage.Naming;

namespace EccoStudio.Host.Erasure;

/// <summary>
/// <c>erase --env dev --entity talent --id T001 --reason "GDPR request 42" [--by NAME] [--gcs URL|production]
/// [--bucket NAME] [--schemas DIR] [--override-unlocked-retention]</c> → <see cref="EraseSettings"/>. Env, GCS, bucket and schemas options are verify's.
/// </summary>
public static class EraseCommandLine
{
    public const int MaxReasonLength = 500;

    public static Option<string?> Entity { get; } = VerifyCommandLine.Checked(
        new Option<string?>("--entity") { Description = "Entity kind, by folder (talent) or name (investor)", Required = true },
        value => value is null || VerifyCommandLine.TryKind(value) is not null ? null : $"--entity '{value}' is not an entity kind (e.g. talent, investors).");

    public static Option<string?> Id { get; } = VerifyCommandLine.Checked(
        new Option<string?>("--id") { Description = "The entity's id", Required = true },
        value => value is null || Identifiers.IsValidId(value) ? null : $"--id '{value}' is not a valid id.");

    public static Option<string?> Reason { get; } = VerifyCommandLine.Checked(
        new Option<string?>("--reason") { Description = "Why the data is erased (kept in the erasure record)", Required = true },
        value => !string.IsNullOrWhiteSpace(value) && value.Length <= MaxReasonLength && !value.Any(char.IsControl)
            ? null
            : $"--reason must be 1..{MaxReasonLength} characters of text.");

    public static Option<string?> By { get; } = VerifyCommandLine.Checked(
        new Option<string?>("--by") { Description = "Who asks (default: $USER)" },
        value => value is null || (value.Length is > 0 and <= 128 && value.All(c => c is >= ' ' and <= '~')) ? null : "--by must be 1..128 printable ASCII characters.");

    public static Option<bool> OverrideUnlockedRetention { get; } = new("--override-unlocked-retention")
    {
        Description = "Remove an Unlocked object retention from the entity's history before erasing it (needs storage.objects.overrideUnlockedRetention)",
    };

    public static Command Create(Func<EraseSettings, CancellationToken, Task<int>> run)
    {
        var command = new Command("erase", "Remove every object and every version of one entity (personal data erasure) and leave an erasure record")
        {
            VerifyCommandLine.Env, Entity, Id, Reason, By, VerifyCommandLine.Gcs, VerifyCommandLine.Bucket, VerifyCommandLine.Schemas, OverrideUnlockedRetention,
        };
        command.SetAction((result, cancellationToken) => run(ToSettings(result), cancellationToken));
        return command;
    }

    public static EraseSettings ToSettings(ParseResult result)
    {
        var gcs = result.GetValue(VerifyCommandLine.Gcs) ?? "http://127.0.0.1:4443/";
        return new EraseSettings
        {
            Env = result.GetValue(VerifyCommandLine.Env) ?? "dev",
            Entity = VerifyCommandLine.TryKind(result.GetValue(Entity)!)!.Name,
            Id = result.GetValue(Id)!,
            Reason = result.GetValue(Reason)!,
            RequestedBy = result.GetValue(By) ?? Environment.UserName,
            Gcs = gcs == "production" ? null : new Uri(gcs.EndsWith('/') ? gcs : gcs + "/"),
            Bucket = result.GetValue(VerifyCommandLine.Bucket) ?? Storage.Layout.StorageLayoutOptions.DefaultBucket,
            SchemasFolder = result.GetValue(VerifyCommandLine.Schemas),
            OverrideUnlockedRetention = result.GetValue(OverrideUnlockedRetention),
        };
    }
}
