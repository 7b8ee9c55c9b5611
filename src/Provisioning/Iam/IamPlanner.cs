using System.Net;
using EccoStudio.Provisioning.Config;
using EccoStudio.Provisioning.Planning;
using Google;
using Google.Cloud.Storage.V1;
using Binding = Google.Apis.Storage.v1.Data.Policy.BindingsData;
using Policy = Google.Apis.Storage.v1.Data.Policy;

namespace EccoStudio.Provisioning.Iam;

/// <summary>
/// Bucket IAM policy version 3 (conditions) against the declared bindings, member by member. Apply writes the
/// whole declared policy with the etag it just read, so a concurrent change makes it fail (412) instead of being lost.
/// </summary>
public sealed class IamPlanner(StorageClient storage, DeploymentTarget target)
{
    public async Task<ResourcePlan> PlanAsync(CancellationToken cancellationToken)
    {
        var actual = await TryGetAsync(cancellationToken);
        var desired = BucketBindings.Desired(target);
        var changes = new List<PlannedChange>();
        var actualMembers = Members(actual?.Bindings ?? []);
        var desiredMembers = Members(desired);
        foreach (var (key, members) in desiredMembers)
        {
            var present = actualMembers.GetValueOrDefault(key) ?? [];
            foreach (var member in members.Order(StringComparer.Ordinal))
            {
                changes.Add(present.Contains(member)
                    ? new PlannedChange(key, ChangeKind.Keep, member, member)
                    : new PlannedChange(key, ChangeKind.Add, null, member));
            }
        }

        foreach (var (key, members) in actualMembers)
        {
            var declared = desiredMembers.GetValueOrDefault(key) ?? [];
            foreach (var member in members.Where(m => !declared.Contains(m)).Order(StringComparer.Ordinal))
            {
                changes.Add(new PlannedChange(key, ChangeKind.Remove, member, null));
            }
        }

        var pending = changes.Any(c => c.Kind != ChangeKind.Keep);
        return new ResourcePlan($"bucket IAM policy gs://{target.Bucket} (version 3)", changes, pending ? ct => ApplyAsync(desired, ct) : null);
    }

    private async Task ApplyAsync(IReadOnlyList<Binding> desired, CancellationToken cancellationToken)
    {
        var current = await TryGetAsync(cancellationToken);
        var policy = new Policy { Version = 3, ETag = current?.ETag, Bindings = desired.ToList() };
        await storage.SetBucketIamPolicyAsync(target.Bucket, policy, cancellationToken: cancellationToken);
    }

    private async Task<Policy?> TryGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await storage.GetBucketIamPolicyAsync(target.Bucket, new GetBucketIamPolicyOptions { RequestedPolicyVersion = 3 }, cancellationToken);
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return null; // the bucket is created first on apply; it then starts with no declared binding
        }
    }

    private static SortedDictionary<string, HashSet<string>> Members(IEnumerable<Binding> bindings)
    {
        var result = new SortedDictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var binding in bindings)
        {
            var key = "binding " + BucketBindings.Key(binding);
            if (!result.TryGetValue(key, out var set))
            {
                result[key] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.UnionWith(binding.Members ?? []);
        }

        return result;
    }
}
