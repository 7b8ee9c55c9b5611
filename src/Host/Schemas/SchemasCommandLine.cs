using System.CommandLine;
using EccoStudio.Host.Commands;
using EccoStudio.Storage.Naming;

namespace EccoStudio.Host.Schemas;

/// <summary><c>schemas publish --env E [--bucket B] [--gcs ENDPOINT|production] [--schemas DIR]</c>.</summary>
public static class SchemasCommandLine
{
    public static Command Create(Func<SchemasPublishSettings, CancellationToken, Task<int>> publish)
    {
        var env = CloudOptions.Checked(
            new Option<string>("--env") { Description = "Environment to publish to (dev, stg, prod)", Required = true },
            value => Identifiers.Environments.Contains(value, StringComparer.Ordinal) ? null : $"--env '{value}' is not valid: use dev, stg or prod.");
        var bucket = CloudOptions.Bucket(required: false);
        var gcs = CloudOptions.Gcs();
        var schemas = new Option<string?>("--schemas") { Description = "Folder holding the schemas (default: the repo's schemas/)" };
        var command = new Command("publish", "Publish the repo's JSON Schemas to env/{env}/schemas/ (create-only; a changed published version is refused)")
        {
            env, bucket, gcs, schemas,
        };
        command.SetAction((result, cancellationToken) => publish(new SchemasPublishSettings
        {
            Env = result.GetValue(env)!,
            Bucket = result.GetValue(bucket)!,
            Gcs = CloudOptions.GcsEndpoint(result.GetValue(gcs)!),
            SchemasFolder = result.GetValue(schemas),
        }, cancellationToken));
        return new Command("schemas", "Schema commands") { command };
    }
}
