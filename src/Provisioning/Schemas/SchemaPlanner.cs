using EccoStudio.Provisioning.Config;
using EccoStudio.Provisioning.Planning;
using EccoStudio.Storage.Schemas;

namespace EccoStudio.Provisioning.Schemas;

/// <summary>
/// The repo's schemas published under each served env (create-only, through the one <see cref="SchemaPublisher"/>):
/// missing versions are added, identical ones kept, and a changed text under a published version is refused.
/// </summary>
public sealed class SchemaPlanner(SchemaPublisher publisher, DeploymentTarget target, string schemasFolder)
{
    public async Task<ResourcePlan> PlanAsync(CancellationToken cancellationToken)
    {
        var changes = new List<PlannedChange>();
        var refusals = new List<string>();
        foreach (var env in target.Config.Environments)
        {
            foreach (var item in await publisher.PlanAsync(env, schemasFolder, cancellationToken))
            {
                switch (item.State)
                {
                    case SchemaPublicationState.Missing:
                        changes.Add(new PlannedChange("schema", ChangeKind.Add, null, item.ObjectName));
                        break;
                    case SchemaPublicationState.Published:
                        changes.Add(new PlannedChange("schema", ChangeKind.Keep, item.ObjectName, item.ObjectName));
                        break;
                    default:
                        refusals.Add($"{item.ObjectName} is published with other content; a published version is immutable: bump the version in {Path.GetFileName(item.SourceFile)}.");
                        break;
                }
            }
        }

        var pending = changes.Any(c => c.Kind == ChangeKind.Add);
        return new ResourcePlan($"schemas in gs://{target.Bucket}", changes, pending ? async ct =>
        {
            foreach (var env in target.Config.Environments)
            {
                await publisher.PublishAsync(env, schemasFolder, ct);
            }
        }
        : null) { Refusals = refusals };
    }
}
