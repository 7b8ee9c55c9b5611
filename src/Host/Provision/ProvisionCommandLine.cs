using System.CommandLine;
using EccoStudio.Host.Commands;
using EccoStudio.Storage.Naming;

namespace EccoStudio.Host.Provision;

/// <summary>
/// <c>provision --project P --bucket B [--env prod[,stg]] [--config deploy/gcp.json] [--apply] [--allow-weaken]
/// [--kms-key KEY] [--push-endpoint URL] [--gcs ENDPOINT|production] [--pubsub ENDPOINT|production] [--schemas DIR]</c>.
/// </summary>
public static class ProvisionCommandLine
{
    public static Command Create(Func<ProvisionSettings, CancellationToken, Task<int>> run)
    {
        var project = CloudOptions.Project(required: true);
        var bucket = CloudOptions.Bucket(required: true);
        var env = CloudOptions.Checked(
            new Option<string?>("--env") { Description = "Environment(s) to serve, comma-separated (default: the config's)" },
            value => Split(value!).Length > 0 && Split(value!).All(e => Identifiers.Environments.Contains(e, StringComparer.Ordinal))
                ? null
                : $"--env '{value}' is not valid: use dev, stg, prod (comma-separated).");
        var config = CloudOptions.Checked(
            new Option<string?>("--config") { Description = "Desired state file (default: the repo's deploy/gcp.json)" },
            value => File.Exists(value) ? null : $"--config '{value}' does not exist.");
        var apply = new Option<bool>("--apply") { Description = "Make the planned changes (default: print the plan only)" };
        var allowWeaken = new Option<bool>("--allow-weaken") { Description = "Allow changes that weaken protection (versioning/UBLA/PAP off, shorter retention, no dead-letter policy)" };
        var kmsKey = new Option<string?>("--kms-key") { Description = "Default Cloud KMS key for new objects (projects/P/locations/L/keyRings/R/cryptoKeys/K)" };
        var pushEndpoint = new Option<string?>("--push-endpoint") { Description = "The bridge URL the push subscription calls (overrides the config)" };
        var gcs = CloudOptions.Gcs();
        var pubsub = CloudOptions.PubSub();
        var schemas = new Option<string?>("--schemas") { Description = "Folder holding the schemas to publish (default: the repo's schemas/)" };
        var command = new Command("provision", "Plan (default) or --apply the declared GCP state: bucket, lifecycle, IAM, Pub/Sub, notifications, schemas")
        {
            project, bucket, env, config, apply, allowWeaken, kmsKey, pushEndpoint, gcs, pubsub, schemas,
        };
        command.SetAction((result, cancellationToken) => run(new ProvisionSettings
        {
            Project = result.GetValue(project)!,
            Bucket = result.GetValue(bucket)!,
            Environments = result.GetValue(env) is { } e ? Split(e) : [],
            ConfigFile = result.GetValue(config),
            Apply = result.GetValue(apply),
            AllowWeaken = result.GetValue(allowWeaken),
            KmsKey = result.GetValue(kmsKey),
            PushEndpoint = result.GetValue(pushEndpoint),
            Gcs = CloudOptions.GcsEndpoint(result.GetValue(gcs)!),
            PubSub = result.GetValue(pubsub)!,
            SchemasFolder = result.GetValue(schemas),
        }, cancellationToken));
        return command;
    }

    private static string[] Split(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();
}
