using System.CommandLine;
using EccoStudio.Host.Commands;
using EccoStudio.Storage.Naming;

namespace EccoStudio.Host.Dlq;

/// <summary>
/// <c>dlq replay [--project P] [--subscription S] [--bucket B] [--env dev,stg,prod] [--gcs ENDPOINT|production]
/// [--pubsub ENDPOINT|production] [--max 1000] [--schemas DIR]</c>.
/// </summary>
public static class DlqCommandLine
{
    public static Command Create(Func<DlqReplaySettings, CancellationToken, Task<int>> replay)
    {
        var project = CloudOptions.Project(required: false);
        var subscription = CloudOptions.Checked(
            new Option<string>("--subscription") { Description = "Pull subscription on the dead-letter topic", DefaultValueFactory = _ => "ecco-gcs-events-dead-letter-ops" },
            value => value.Length is >= 3 and <= 255 && char.IsAsciiLetter(value[0]) ? null : $"--subscription '{value}' is not a Pub/Sub subscription id.");
        var bucket = CloudOptions.Bucket(required: false);
        var env = CloudOptions.Checked(
            new Option<string>("--env") { Description = "Environments whose objects may be reconciled, comma-separated", DefaultValueFactory = _ => "dev,stg,prod" },
            value => Split(value).Length > 0 && Split(value).All(e => Identifiers.Environments.Contains(e, StringComparer.Ordinal))
                ? null
                : $"--env '{value}' is not valid: use dev, stg, prod (comma-separated).");
        var gcs = CloudOptions.Gcs();
        var pubsub = CloudOptions.PubSub();
        var max = CloudOptions.Checked(
            new Option<int>("--max") { Description = "Most messages to replay in this run", DefaultValueFactory = _ => 1000 },
            value => value is >= 1 and <= 100_000 ? null : "--max must be within 1..100000.");
        var schemas = new Option<string?>("--schemas") { Description = "Folder holding indices.json (default: the repo's schemas/)" };
        var command = new Command("replay", "Re-run dead-lettered bucket notifications through the bridge's logic; ack only those that succeed")
        {
            project, subscription, bucket, env, gcs, pubsub, max, schemas,
        };
        command.SetAction((result, cancellationToken) => replay(new DlqReplaySettings
        {
            Project = result.GetValue(project)!,
            Subscription = result.GetValue(subscription)!,
            Bucket = result.GetValue(bucket)!,
            Environments = Split(result.GetValue(env)!),
            Gcs = CloudOptions.GcsEndpoint(result.GetValue(gcs)!),
            PubSub = result.GetValue(pubsub)!,
            Max = result.GetValue(max),
            SchemasFolder = result.GetValue(schemas),
        }, cancellationToken));
        return new Command("dlq", "Dead-letter queue commands") { command };
    }

    private static string[] Split(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();
}
