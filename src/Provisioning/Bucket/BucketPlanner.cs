using System.Globalization;
using System.Net;
using EccoStudio.Provisioning.Config;
using EccoStudio.Provisioning.Planning;
using Google;
using Google.Apis.Json;
using Google.Cloud.Storage.V1;
using GcsBucket = Google.Apis.Storage.v1.Data.Bucket;
using Rule = Google.Apis.Storage.v1.Data.Bucket.LifecycleData.RuleData;

namespace EccoStudio.Provisioning.Bucket;

/// <summary>
/// The bucket's declared fields (spec §2, §8) against what GCS reports: location, versioning, UBLA, PAP, labels, CMEK
/// key, soft delete, Object Retention Lock, lifecycle rules. Apply creates the bucket or patches only the fields that
/// differ, guarded by the metageneration it read. Labels not declared are left alone; lifecycle is replaced as a whole.
/// </summary>
public sealed class BucketPlanner(StorageClient storage, DeploymentTarget target)
{
    private const long Day = 86_400;

    public async Task<ResourcePlan> PlanAsync(CancellationToken cancellationToken)
    {
        var actual = await TryGetAsync(cancellationToken);
        var desired = target.Config.Bucket;
        var changes = new List<PlannedChange>();
        var refusals = new List<string>();
        var resource = $"bucket gs://{target.Bucket}";
        if (actual is null)
        {
            changes.Add(new PlannedChange("bucket", ChangeKind.Add, null, $"create in project {target.Project}"));
            changes.Add(PlannedChange.Compare("location", null, desired.Location.ToUpperInvariant()));
        }
        else if (!string.Equals(actual.Location, desired.Location, StringComparison.OrdinalIgnoreCase))
        {
            refusals.Add($"location is {actual.Location}, the config says {desired.Location}: a bucket's location cannot change.");
        }

        var versioning = actual?.Versioning?.Enabled ?? false;
        changes.Add(PlannedChange.Compare("versioning.enabled", actual is null ? null : Bool(versioning), Bool(desired.Versioning),
            weakens: versioning && !desired.Versioning));
        var ubla = actual?.IamConfiguration?.UniformBucketLevelAccess?.Enabled ?? false;
        changes.Add(PlannedChange.Compare("iamConfiguration.uniformBucketLevelAccess.enabled", actual is null ? null : Bool(ubla),
            Bool(desired.UniformBucketLevelAccess), weakens: ubla && !desired.UniformBucketLevelAccess));
        var pap = actual?.IamConfiguration?.PublicAccessPrevention ?? (actual is null ? null : "inherited");
        changes.Add(PlannedChange.Compare("iamConfiguration.publicAccessPrevention", pap, desired.PublicAccessPrevention,
            weakens: pap == "enforced" && desired.PublicAccessPrevention != "enforced"));
        foreach (var (key, value) in desired.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            changes.Add(PlannedChange.Compare($"labels.{key}", actual?.Labels?.TryGetValue(key, out var v) == true ? v : null, value));
        }

        var kms = actual?.Encryption?.DefaultKmsKeyName;
        if (desired.KmsKey is not null || kms is not null)
        {
            // Dropping a customer-managed key falls back to Google-managed keys: weaker control, so it needs the flag.
            changes.Add(PlannedChange.Compare("encryption.defaultKmsKeyName", kms, desired.KmsKey, weakens: kms is not null && desired.KmsKey is null));
        }

        var softSeconds = actual?.SoftDeletePolicy?.RetentionDurationSeconds ?? (actual is null ? null : 7 * Day);
        changes.Add(PlannedChange.Compare("softDeletePolicy.retentionDurationSeconds", softSeconds?.ToString(CultureInfo.InvariantCulture),
            (desired.SoftDeleteDays * Day).ToString(CultureInfo.InvariantCulture), weakens: softSeconds is { } s && s > desired.SoftDeleteDays * Day));

        var retention = actual?.ObjectRetention?.Mode;
        if (desired.HistoryRetentionDays > 0 || retention is not null)
        {
            if (actual is not null && retention is null)
            {
                refusals.Add("historyRetentionDays needs Object Retention Lock, which GCS only enables when a bucket is created: create a new bucket or set it to 0.");
            }

            changes.Add(PlannedChange.Compare("objectRetention.mode", retention, retention ?? "Enabled"));
        }

        var actualRules = actual?.Lifecycle?.Rule?.ToList() ?? [];
        var desiredRules = LifecycleRules.Desired(target.Config);
        var actualKeys = actualRules.Select(r => LifecycleRules.Describe(r)).ToHashSet(StringComparer.Ordinal);
        var desiredKeys = desiredRules.Select(r => LifecycleRules.Describe(r)).ToHashSet(StringComparer.Ordinal);
        foreach (var rule in desiredRules)
        {
            var present = actualKeys.Contains(LifecycleRules.Describe(rule));
            var text = LifecycleRules.Describe(rule, abbreviate: true);
            changes.Add(present
                ? new PlannedChange("lifecycle.rule", ChangeKind.Keep, text, text)
                : new PlannedChange("lifecycle.rule", ChangeKind.Add, null, text, LifecycleRules.Shortens(rule, actualRules)));
        }

        foreach (var rule in actualRules.Where(r => !desiredKeys.Contains(LifecycleRules.Describe(r))))
        {
            changes.Add(new PlannedChange("lifecycle.rule", ChangeKind.Remove, LifecycleRules.Describe(rule, abbreviate: true), null));
        }

        var pending = changes.Any(c => c.Kind != ChangeKind.Keep);
        return new ResourcePlan(resource, changes, pending ? ct => ApplyAsync(desiredRules, ct) : null) { Refusals = refusals };
    }

    private async Task ApplyAsync(IReadOnlyList<Rule> rules, CancellationToken cancellationToken)
    {
        var desired = target.Config.Bucket;
        var actual = await TryGetAsync(cancellationToken);
        if (actual is null)
        {
            var created = Desired(rules);
            created.Name = target.Bucket;
            created.Location = desired.Location.ToUpperInvariant();
            await storage.CreateBucketAsync(target.Project, created,
                new CreateBucketOptions { ObjectRetentionEnabled = desired.HistoryRetentionDays > 0 ? true : null }, cancellationToken);
            return;
        }

        // Patch: only declared fields are sent; labels merge key by key, so undeclared labels stay.
        var patch = Desired(rules);
        patch.Name = target.Bucket;
        if (desired.KmsKey is null && actual.Encryption?.DefaultKmsKeyName is not null)
        {
            // A null property is left out of a PATCH body, which leaves the key in place; the JSON API clears a field
            // only when it is sent as null (what gcloud's --clear-default-encryption-key does), so send exactly that.
            patch.Encryption = new ClearedEncryption();
        }

        await storage.PatchBucketAsync(patch, new PatchBucketOptions { IfMetagenerationMatch = actual.Metageneration }, cancellationToken);
    }

    private GcsBucket Desired(IReadOnlyList<Rule> rules)
    {
        var desired = target.Config.Bucket;
        return new GcsBucket
        {
            Versioning = new GcsBucket.VersioningData { Enabled = desired.Versioning },
            IamConfiguration = new GcsBucket.IamConfigurationData
            {
                UniformBucketLevelAccess = new GcsBucket.IamConfigurationData.UniformBucketLevelAccessData { Enabled = desired.UniformBucketLevelAccess },
                PublicAccessPrevention = desired.PublicAccessPrevention,
            },
            Labels = desired.Labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal),
            Encryption = desired.KmsKey is null ? null : new GcsBucket.EncryptionData { DefaultKmsKeyName = desired.KmsKey },
            SoftDeletePolicy = new GcsBucket.SoftDeletePolicyData { RetentionDurationSeconds = desired.SoftDeleteDays * Day },
            Lifecycle = new GcsBucket.LifecycleData { Rule = rules.ToList() },
        };
    }

    private async Task<GcsBucket?> TryGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await storage.GetBucketAsync(target.Bucket, cancellationToken: cancellationToken);
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary>Serialized by the client library as <c>"encryption": null</c> (an ordinary null is omitted).</summary>
    [JsonExplicitNull]
    private sealed class ClearedEncryption : GcsBucket.EncryptionData;
}
