using EccoStudio.Provisioning.Config;
using EccoStudio.Provisioning.Planning;
using EccoStudio.Provisioning.PubSub;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using EccoStudio.Testing;
using Google.Cloud.Storage.V1;
using Microsoft.Extensions.DependencyInjection;
using GcsBucket = Google.Apis.Storage.v1.Data.Bucket;

namespace EccoStudio.Provisioning.Tests;

/// <summary>Provision against our GCS emulator and the real Pub/Sub emulator, read back through the client libraries.</summary>
[Collection(PubSubEmulatorFixture.CollectionName)]
public sealed class ProvisionerTests(PubSubEmulatorFixture pubsubEmulator, GcsEmulatorFixture gcs) : IClassFixture<GcsEmulatorFixture>, IDisposable
{
    private readonly GcsEmulatorFixture _gcs = gcs;
    private readonly PubSubRestClient _pubsub = PubSubRestClient.ForEmulator(pubsubEmulator.Host);
    private IObjectStore? _store;

    public void Dispose() => _pubsub.Dispose();

    private DeploymentTarget Target(string bucket, string suffix, Func<DeploymentConfig, DeploymentConfig>? change = null)
    {
        var config = new DeploymentConfig
        {
            Environments = ["prod", "stg"],
            Bucket = new BucketConfig { Labels = new Dictionary<string, string> { ["app"] = "ecco-studio", ["team"] = "platform" } },
            PubSub = new PubSubConfig
            {
                Topic = "events-" + suffix,
                Subscription = "bridge-" + suffix,
                DeadLetterTopic = "dead-" + suffix,
                DeadLetterSubscription = "dead-ops-" + suffix,
                PushEndpoint = "http://127.0.0.1:9/api/pubsub/gcs-events",
                PushServiceAccount = "push@{project}.iam.gserviceaccount.com",
                Audience = "https://app.example.net/api/pubsub/gcs-events",
                MinimumBackoffSeconds = 1,
                MaximumBackoffSeconds = 2,
                MaxDeliveryAttempts = 5,
            },
            Iam = new IamConfig
            {
                Writer = "serviceAccount:writer@{project}.iam.gserviceaccount.com",
                Readers = ["group:readers@example.com"],
                Investors = ["serviceAccount:investor-ro@{project}.iam.gserviceaccount.com"],
                AdditionalBindings =
                [
                    new BindingConfig { Role = "roles/storage.legacyBucketOwner", Members = ["projectEditor:{project}", "projectOwner:{project}"] },
                    new BindingConfig { Role = "roles/storage.legacyBucketReader", Members = ["projectViewer:{project}"] },
                ],
            },
        };
        return DeploymentConfigLoader.Resolve(change is null ? config : change(config), pubsubEmulator.ProjectId, bucket);
    }

    private async Task<(StorageClient Storage, Provisioner Provisioner, DeploymentTarget Target)> CreateAsync(Func<DeploymentConfig, DeploymentConfig>? change = null)
    {
        await Task.Yield();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var target = Target(_gcs.NewBucketName("prov"), suffix, change);
        // The composition every command uses (CommandStorage in src/Host does the same).
        var services = StorageServiceCollectionExtensions.CreateServices(o => (o.EmulatorHost, o.Bucket) = (_gcs.Server.BaseUri.ToString(), target.Bucket));
        var storage = services.GetRequiredService<StorageClient>();
        _store = services.GetRequiredService<IObjectStore>();
        return (storage, new Provisioner(storage, _store, _pubsub, target, FolderSchemaSource.FindRepoSchemas()), target);
    }

    [Fact]
    public async Task Apply_FreshProject_CreatesExactlyTheDeclaredState()
    {
        var (storage, provisioner, target) = await CreateAsync();
        var plan = await provisioner.PlanAsync(default);
        Assert.Empty(plan.Refusals);
        Assert.DoesNotContain(plan.Resources.SelectMany(r => r.Changes), c => c.Kind is ChangeKind.Keep or ChangeKind.Remove or ChangeKind.Change);
        await Provisioner.ApplyAsync(plan, TextWriter.Null, default);

        var bucket = await storage.GetBucketAsync(target.Bucket);
        Assert.Equal("US", bucket.Location);
        Assert.True(bucket.Versioning.Enabled);
        Assert.True(bucket.IamConfiguration.UniformBucketLevelAccess.Enabled);
        Assert.Equal("enforced", bucket.IamConfiguration.PublicAccessPrevention);
        Assert.Equal("platform", bucket.Labels["team"]);
        Assert.Equal(7 * 86_400, bucket.SoftDeletePolicy.RetentionDurationSeconds);
        var rules = bucket.Lifecycle.Rule;
        Assert.Equal(5, rules.Count);
        var keep = Assert.Single(rules, r => r.Condition.NumNewerVersions is not null);
        Assert.Equal(("Delete", 10, false), (keep.Action.Type, keep.Condition.NumNewerVersions!.Value, keep.Condition.IsLive!.Value));
        Assert.Equal(["env/prod/manifests/", "env/prod/snapshots/", "env/stg/manifests/", "env/stg/snapshots/"], keep.Condition.MatchesPrefix.Order(StringComparer.Ordinal));
        var noncurrent = Assert.Single(rules, r => r.Condition.DaysSinceNoncurrentTime is not null);
        Assert.Equal(30, noncurrent.Condition.DaysSinceNoncurrentTime);
        Assert.Equal(["env/prod/snapshots/", "env/stg/snapshots/"], noncurrent.Condition.MatchesPrefix.Order(StringComparer.Ordinal));
        var nearline = Assert.Single(rules, r => r.Action.StorageClass == "NEARLINE");
        Assert.Equal(90, nearline.Condition.Age);
        Assert.Contains("env/prod/ventures/", nearline.Condition.MatchesPrefix);
        Assert.DoesNotContain(nearline.Condition.MatchesPrefix, p => p.Contains("snapshots", StringComparison.Ordinal));
        Assert.Equal(365, Assert.Single(rules, r => r.Action.StorageClass == "COLDLINE").Condition.Age);

        var policy = await storage.GetBucketIamPolicyAsync(target.Bucket, new GetBucketIamPolicyOptions { RequestedPolicyVersion = 3 });
        Assert.Equal(3, policy.Version);
        var investor = Assert.Single(policy.Bindings, b => b.Condition?.Title == "SnapshotsOnly");
        Assert.Equal("roles/storage.objectViewer", investor.Role);
        Assert.Equal([$"serviceAccount:investor-ro@{target.Project}.iam.gserviceaccount.com"], investor.Members);
        Assert.Equal($"resource.name.startsWith(\"projects/_/buckets/{target.Bucket}/objects/env/prod/snapshots/\")", investor.Condition.Expression);
        var writerUser = Assert.Single(policy.Bindings, b => b.Role == "roles/storage.objectUser");
        Assert.Equal("DerivedObjectsOnly", writerUser.Condition.Title);
        Assert.DoesNotContain("history", writerUser.Condition.Expression, StringComparison.Ordinal);
        Assert.Contains($"objects/env/stg/indices/", writerUser.Condition.Expression, StringComparison.Ordinal);
        Assert.Contains(policy.Bindings, b => b.Role == "roles/storage.objectCreator" && b.Condition is null && b.Members.Single() == target.Config.Iam.Writer);
        var viewers = Assert.Single(policy.Bindings, b => b.Role == "roles/storage.objectViewer" && b.Condition is null);
        Assert.Equal(["group:readers@example.com", target.Config.Iam.Writer!], viewers.Members.Order(StringComparer.Ordinal));
        Assert.Equal(6, policy.Bindings.Count);

        var notifications = await storage.ListNotificationsAsync(target.Bucket);
        Assert.Equal(["env/prod/", "env/stg/"], notifications.Select(n => n.ObjectNamePrefix).Order(StringComparer.Ordinal));
        Assert.All(notifications, n =>
        {
            Assert.Equal($"//pubsub.googleapis.com/projects/{target.Project}/topics/{target.Config.PubSub.Topic}", n.Topic);
            Assert.Equal(["OBJECT_FINALIZE"], n.EventTypes);
            Assert.Equal("JSON_API_V1", n.PayloadFormat);
        });

        Assert.NotNull(await _pubsub.GetTopicAsync(target.TopicPath(target.Config.PubSub.Topic), default));
        Assert.NotNull(await _pubsub.GetTopicAsync(target.TopicPath(target.Config.PubSub.DeadLetterTopic!), default));
        var push = (await _pubsub.GetSubscriptionAsync(target.SubscriptionPath(target.Config.PubSub.Subscription), default))!;
        Assert.Equal(target.TopicPath(target.Config.PubSub.Topic), push["topic"]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:9/api/pubsub/gcs-events", push["pushConfig"]!["pushEndpoint"]!.GetValue<string>());
        Assert.Equal($"push@{target.Project}.iam.gserviceaccount.com", push["pushConfig"]!["oidcToken"]!["serviceAccountEmail"]!.GetValue<string>());
        Assert.Equal("https://app.example.net/api/pubsub/gcs-events", push["pushConfig"]!["oidcToken"]!["audience"]!.GetValue<string>());
        Assert.Equal(60, push["ackDeadlineSeconds"]!.GetValue<int>());
        Assert.Equal("1s", push["retryPolicy"]!["minimumBackoff"]!.GetValue<string>());
        Assert.Equal("2s", push["retryPolicy"]!["maximumBackoff"]!.GetValue<string>());
        Assert.Equal(target.TopicPath(target.Config.PubSub.DeadLetterTopic!), push["deadLetterPolicy"]!["deadLetterTopic"]!.GetValue<string>());
        Assert.Equal(5, push["deadLetterPolicy"]!["maxDeliveryAttempts"]!.GetValue<int>());
        var ops = (await _pubsub.GetSubscriptionAsync(target.SubscriptionPath(target.Config.PubSub.DeadLetterSubscription), default))!;
        Assert.Equal(target.TopicPath(target.Config.PubSub.DeadLetterTopic!), ops["topic"]!.GetValue<string>());
        Assert.Null(ops["pushConfig"]?["pushEndpoint"]);

        var schemas = new List<string>();
        await foreach (var o in storage.ListObjectsAsync(target.Bucket, "env/prod/schemas/"))
        {
            schemas.Add(o.Name);
        }

        Assert.Contains("env/prod/schemas/venture/v1.0.0.schema.json", schemas);

        // Second run: nothing to do, and nothing is written.
        var metageneration = bucket.Metageneration;
        var etag = policy.ETag;
        var again = await provisioner.PlanAsync(default);
        Assert.Equal(0, again.Pending);
        Assert.All(again.Resources, r => Assert.Null(r.Apply));
        Assert.Equal(0, await Provisioner.ApplyAsync(again, TextWriter.Null, default));
        Assert.Equal(metageneration, (await storage.GetBucketAsync(target.Bucket)).Metageneration);
        Assert.Equal(etag, (await storage.GetBucketIamPolicyAsync(target.Bucket, new GetBucketIamPolicyOptions { RequestedPolicyVersion = 3 })).ETag);
    }

    [Fact]
    public async Task Plan_HandMadeDrift_ShowsExactlyTheDriftAndApplyRepairsIt()
    {
        var (storage, provisioner, target) = await CreateAsync();
        await Provisioner.ApplyAsync(await provisioner.PlanAsync(default), TextWriter.Null, default);

        var bucket = await storage.GetBucketAsync(target.Bucket);
        var removed = bucket.Lifecycle.Rule.Single(r => r.Action.StorageClass == "COLDLINE");
        await storage.PatchBucketAsync(new GcsBucket
        {
            Name = target.Bucket,
            Versioning = new GcsBucket.VersioningData { Enabled = false },
            Lifecycle = new GcsBucket.LifecycleData { Rule = bucket.Lifecycle.Rule.Where(r => r != removed).ToList() },
        });
        var policy = await storage.GetBucketIamPolicyAsync(target.Bucket, new GetBucketIamPolicyOptions { RequestedPolicyVersion = 3 });
        policy.Bindings.Add(new Google.Apis.Storage.v1.Data.Policy.BindingsData { Role = "roles/storage.admin", Members = ["user:mallory@example.com"] });
        await storage.SetBucketIamPolicyAsync(target.Bucket, policy);
        var drifted = await storage.GetBucketAsync(target.Bucket);

        var plan = await provisioner.PlanAsync(default);
        var pending = plan.Resources.SelectMany(r => r.Changes).Where(c => c.Kind != ChangeKind.Keep).ToList();
        Assert.Equal(3, pending.Count);
        Assert.Contains(pending, c => c is { Field: "versioning.enabled", Kind: ChangeKind.Change, Old: "false", New: "true", Weakens: false });
        Assert.Contains(pending, c => c.Field == "lifecycle.rule" && c.Kind == ChangeKind.Add && c.New!.StartsWith("SetStorageClass COLDLINE if", StringComparison.Ordinal));
        Assert.Contains(pending, c => c is { Field: "binding roles/storage.admin", Kind: ChangeKind.Remove, Old: "user:mallory@example.com" });
        Assert.Equal(drifted.Metageneration, (await storage.GetBucketAsync(target.Bucket)).Metageneration); // planning wrote nothing

        Assert.Equal(3, await Provisioner.ApplyAsync(plan, TextWriter.Null, default));
        var repaired = await storage.GetBucketAsync(target.Bucket);
        Assert.True(repaired.Versioning.Enabled);
        Assert.Contains(repaired.Lifecycle.Rule, r => r.Action.StorageClass == "COLDLINE" && r.Condition.Age == 365);
        var repairedPolicy = await storage.GetBucketIamPolicyAsync(target.Bucket, new GetBucketIamPolicyOptions { RequestedPolicyVersion = 3 });
        Assert.DoesNotContain(repairedPolicy.Bindings, b => b.Role == "roles/storage.admin");
        Assert.Equal(0, (await provisioner.PlanAsync(default)).Pending);
    }

    [Fact]
    public async Task Plan_WeakeningConfig_MarksEachWeakeningChange()
    {
        var (storage, provisioner, target) = await CreateAsync();
        await Provisioner.ApplyAsync(await provisioner.PlanAsync(default), TextWriter.Null, default);
        var weaker = new Provisioner(storage, _store!, _pubsub, target with
        {
            Config = target.Config with
            {
                Bucket = target.Config.Bucket with
                {
                    Versioning = false,
                    PublicAccessPrevention = "inherited",
                    Lifecycle = target.Config.Bucket.Lifecycle with { KeepVersions = 3 },
                },
                PubSub = target.Config.PubSub with { DeadLetterTopic = null },
            },
        }, FolderSchemaSource.FindRepoSchemas());

        var plan = await weaker.PlanAsync(default);
        var weakening = plan.Weakening.Select(c => c.Field).ToList();
        Assert.Contains("versioning.enabled", weakening);
        Assert.Contains("iamConfiguration.publicAccessPrevention", weakening);
        Assert.Contains("lifecycle.rule", weakening);
        Assert.Contains("deadLetterPolicy.deadLetterTopic", weakening);
    }
}
