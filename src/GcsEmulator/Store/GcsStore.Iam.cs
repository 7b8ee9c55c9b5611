using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Errors;

namespace EccoStudio.GcsEmulator.Store;

/// <summary>
/// Bucket IAM policies (buckets.getIamPolicy / setIamPolicy), kept and returned as GCS does: version 1 or 3, bindings
/// with optional conditions, an etag that changes on every set (a set carrying a stale etag is 412). The emulator
/// does not enforce the policy.
/// </summary>
public sealed partial class GcsStore
{
    /// <summary>The policy and its etag; <paramref name="requestedVersion"/> below 3 is refused when a binding has a condition.</summary>
    public JsonObject GetIamPolicy(string bucket, int requestedVersion)
    {
        var state = GetBucketState(bucket);
        lock (state.Sync)
        {
            var meta = state.Meta;
            var policy = (JsonObject)(meta.IamPolicy ?? DefaultPolicy(meta.ProjectId)).DeepClone();
            var conditional = HasConditions(policy);
            if (conditional && requestedVersion < 3)
            {
                throw GcsException.BadRequest(
                    "The bucket's IAM policy has conditional bindings: request it with optionsRequestedPolicyVersion=3.");
            }

            policy["kind"] = "storage#policy";
            policy["resourceId"] = $"projects/_/buckets/{bucket}";
            policy["version"] = conditional ? 3 : Math.Max(1, Math.Min(requestedVersion, 3));
            policy["etag"] = IamEtag(meta.IamVersion);
            return policy;
        }
    }

    /// <summary>Replaces the policy; a present etag must be the current one (else 412).</summary>
    public JsonObject SetIamPolicy(string bucket, JsonObject body)
    {
        var bindings = ValidateBindings(body);
        var version = body["version"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 1;
        if (version is not (0 or 1 or 3))
        {
            throw GcsException.BadRequest($"Invalid IAM policy version {version}: use 1 or 3.");
        }

        var state = GetBucketState(bucket);
        lock (state.Sync)
        {
            var current = state.Meta;
            if (ObjectFields.Str(body, "etag") is { Length: > 0 } etag && etag != IamEtag(current.IamVersion))
            {
                throw GcsException.PreconditionFailed();
            }

            var policy = new JsonObject { ["bindings"] = bindings };
            if (HasConditions(policy) && version != 3)
            {
                throw GcsException.BadRequest("Conditional role bindings require IAM policy version 3.");
            }

            var updated = current with { IamPolicy = JsonTree.Materialize(policy), IamVersion = current.IamVersion + 1, Updated = Now() };
            _persistence.WriteBucket(updated);
            state.Meta = updated;
        }

        return GetIamPolicy(bucket, 3);
    }

    private static JsonArray ValidateBindings(JsonObject body)
    {
        var result = new JsonArray();
        if (body["bindings"] is null)
        {
            return result;
        }

        if (body["bindings"] is not JsonArray bindings)
        {
            throw GcsException.BadRequest("bindings must be a list.");
        }

        foreach (var node in bindings)
        {
            if (node is not JsonObject binding || ObjectFields.Str(binding, "role") is not { Length: > 0 } role
                || (!role.StartsWith("roles/", StringComparison.Ordinal) && !role.StartsWith("projects/", StringComparison.Ordinal)
                    && !role.StartsWith("organizations/", StringComparison.Ordinal)))
            {
                throw GcsException.BadRequest("Every binding needs a role (roles/..., projects/P/roles/... or organizations/O/roles/...).");
            }

            if (binding["members"] is not JsonArray { Count: > 0 } members
                || members.Any(m => m is not JsonValue mv || !mv.TryGetValue<string>(out var text) || !IsMember(text)))
            {
                throw GcsException.BadRequest($"The binding for {role} needs members of the form type:id (user:, serviceAccount:, group:, domain:, principal:, principalSet:, projectOwner:, ...).");
            }

            var clean = new JsonObject { ["role"] = role, ["members"] = members.DeepClone() };
            if (binding["condition"] is JsonObject condition)
            {
                if (ObjectFields.Str(condition, "expression") is not { Length: > 0 } || ObjectFields.Str(condition, "title") is not { Length: > 0 })
                {
                    throw GcsException.BadRequest($"The condition on {role} needs a title and an expression.");
                }

                clean["condition"] = condition.DeepClone();
            }

            result.Add(clean);
        }

        return result;
    }

    private static bool IsMember(string member) =>
        member is "allUsers" or "allAuthenticatedUsers" || (member.IndexOf(':', StringComparison.Ordinal) is > 0 and var i && i < member.Length - 1);

    private static bool HasConditions(JsonObject policy) =>
        policy["bindings"] is JsonArray bindings && bindings.Any(b => b is JsonObject o && o["condition"] is JsonObject);

    /// <summary>The policy GCS gives a new bucket: the project's owners/editors own it, its viewers read it.</summary>
    private static JsonObject DefaultPolicy(string project) => new()
    {
        ["bindings"] = new JsonArray(
            new JsonObject { ["role"] = "roles/storage.legacyBucketOwner", ["members"] = new JsonArray($"projectEditor:{project}", $"projectOwner:{project}") },
            new JsonObject { ["role"] = "roles/storage.legacyBucketReader", ["members"] = new JsonArray($"projectViewer:{project}") }),
    };

    private static string IamEtag(long version) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes("CA" + version.ToString(CultureInfo.InvariantCulture)));
}
