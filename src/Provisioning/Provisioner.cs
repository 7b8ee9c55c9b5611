using EccoStudio.Provisioning.Bucket;
using EccoStudio.Provisioning.Config;
using EccoStudio.Provisioning.Iam;
using EccoStudio.Provisioning.Notifications;
using EccoStudio.Provisioning.Planning;
using EccoStudio.Provisioning.PubSub;
using EccoStudio.Provisioning.Schemas;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using Google.Cloud.Storage.V1;

namespace EccoStudio.Provisioning;

/// <summary>
/// Plans the declared GCP state against what exists and applies the differences in dependency order: bucket, bucket
/// IAM, topics, subscriptions, notification configs, schemas. Each resource is applied on its own and re-reads what
/// it changes, so a run stopped by an API failure is continued by the next run. The client and the object store come
/// from the storage composition (<c>AddEccoStorage</c>), as every command's do.
/// </summary>
public sealed class Provisioner(StorageClient storage, IObjectStore store, PubSubRestClient pubsub, DeploymentTarget target, string schemasFolder)
{
    public async Task<DeploymentPlan> PlanAsync(CancellationToken cancellationToken)
    {
        var publisher = new SchemaPublisher(store, new ObjectPaths(new StorageLayoutOptions { BucketName = target.Bucket }));
        var resources = new List<ResourcePlan>
        {
            await new BucketPlanner(storage, target).PlanAsync(cancellationToken),
            await new IamPlanner(storage, target).PlanAsync(cancellationToken),
        };
        resources.AddRange(await new PubSubPlanner(pubsub, target).PlanAsync(cancellationToken));
        resources.Add(await new NotificationPlanner(storage, target).PlanAsync(cancellationToken));
        resources.Add(await new SchemaPlanner(publisher, target, schemasFolder).PlanAsync(cancellationToken));
        return new DeploymentPlan(resources);
    }

    /// <summary>Applies every resource with pending changes, in order; reports each one done on <paramref name="output"/>.</summary>
    public static async Task<int> ApplyAsync(DeploymentPlan plan, TextWriter output, CancellationToken cancellationToken)
    {
        var applied = 0;
        foreach (var resource in plan.Resources.Where(r => r.Apply is not null))
        {
            try
            {
                await resource.Apply!(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new ProvisioningException(resource.Resource, e);
            }

            applied += resource.Pending;
            await output.WriteLineAsync($"applied: {resource.Resource} ({resource.Pending} change{(resource.Pending == 1 ? "" : "s")})");
        }

        return applied;
    }
}
