using EccoStudio.Host.Commands;
using EccoStudio.Host.Provision;
using EccoStudio.Host.Schemas;
using EccoStudio.Testing;

namespace EccoStudio.Host.Tests;

/// <summary><c>provision</c> and <c>schemas publish</c> as a user runs them: exit codes, one-line errors, refusals.</summary>
[Collection(PubSubEmulatorFixture.CollectionName)]
public sealed class ProvisionCommandTests(PubSubEmulatorFixture pubsub) : IClassFixture<GcsEmulatorFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecco-provision-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private string Config(string json)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    private static string Valid(string suffix, string bucketExtra = "") => $$"""
        {
          "environments": ["prod"],
          "bucket": { "location": "US"{{bucketExtra}} },
          "pubSub": {
            "topic": "events-{{suffix}}", "subscription": "bridge-{{suffix}}",
            "deadLetterTopic": "dead-{{suffix}}", "deadLetterSubscription": "dead-ops-{{suffix}}",
            "pushEndpoint": "http://127.0.0.1:9/api/pubsub/gcs-events",
            "pushServiceAccount": "push@{project}.iam.gserviceaccount.com"
          },
          "iam": { "writer": "serviceAccount:writer@{project}.iam.gserviceaccount.com" }
        }
        """;

    private static async Task<int> CountAsync<T>(IAsyncEnumerable<T> items)
    {
        var n = 0;
        await foreach (var _ in items)
        {
            n++;
        }

        return n;
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(ProvisionSettings settings)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await ProvisionRunner.RunAsync(settings, output, error, default);
        return (exit, output.ToString(), error.ToString());
    }

    private ProvisionSettings Settings(GcsEmulatorFixture gcs, string bucket, string config, bool apply = false, bool allowWeaken = false) => new()
    {
        Project = pubsub.ProjectId,
        Bucket = bucket,
        ConfigFile = config,
        Apply = apply,
        AllowWeaken = allowWeaken,
        Gcs = gcs.Server.BaseUri,
        PubSub = pubsub.Host,
    };

    [Theory]
    [InlineData("{\"pubSub\":{\"ackDeadlineSeconds\":3,\"pushEndpoint\":\"https://a.example.net/x\",\"pushServiceAccount\":\"p@q.iam.gserviceaccount.com\"}}", "pubSub.ackDeadlineSeconds")]
    [InlineData("{\"bucket\":{\"versionning\":true}}", "versionning")]
    [InlineData("{ not json", "error: ")]
    public async Task Provision_BadConfig_ExitsTwoWithOneLineAndWritesNothing(string json, string expected)
    {
        var gcs = new GcsEmulatorFixture();
        await gcs.InitializeAsync();
        try
        {
            var bucket = gcs.NewBucketName("bad");
            var (exit, _, err) = await RunAsync(Settings(gcs, bucket, Config(json), apply: true));
            Assert.Equal(2, exit);
            Assert.Contains(expected, err, StringComparison.Ordinal);
            Assert.Single(err.TrimEnd().Split('\n'));
            using var client = gcs.CreateClient();
            Assert.Equal(0, await CountAsync(client.ListBucketsAsync(gcs.ProjectId)));
        }
        finally
        {
            await gcs.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("provision --bucket b-one", "--project")]
    [InlineData("provision --project my-project --bucket B_UPPER", "--bucket 'B_UPPER'")]
    [InlineData("provision --project my-project --bucket b-one --env production", "--env 'production'")]
    [InlineData("provision --project my-project --bucket b-one --gcs ftp://x", "--gcs 'ftp://x'")]
    [InlineData("schemas publish --env qa", "--env 'qa'")]
    [InlineData("dlq replay --max 0", "--max")]
    public async Task Commands_BadFlags_ExitTwoWithOneLine(string args, string expected)
    {
        using var error = new StringWriter();
        var exit = await HostCommandLine.RunAsync(args.Split(' '), (_, _) => Task.FromResult(0), error);
        Assert.Equal(2, exit);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
        Assert.Single(error.ToString().TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Provision_PlanThenApplyThenWeaken_PlanWritesNothingSecondApplyIsZeroWeakeningRefused()
    {
        var gcs = new GcsEmulatorFixture();
        await gcs.InitializeAsync();
        try
        {
            var suffix = Guid.NewGuid().ToString("N")[..8];
            var bucket = gcs.NewBucketName("cmd");
            var config = Config(Valid(suffix));

            var plan = await RunAsync(Settings(gcs, bucket, config));
            Assert.Equal(0, plan.Exit);
            Assert.Contains("  + bucket: create in project", plan.Out, StringComparison.Ordinal);
            Assert.Contains("plan only: run with --apply", plan.Out, StringComparison.Ordinal);
            using var client = gcs.CreateClient();
            Assert.Equal(0, await CountAsync(client.ListBucketsAsync(gcs.ProjectId)));

            var apply = await RunAsync(Settings(gcs, bucket, config, apply: true));
            Assert.Equal(0, apply.Exit);
            Assert.Contains($"applied: bucket gs://{bucket}", apply.Out, StringComparison.Ordinal);

            var again = await RunAsync(Settings(gcs, bucket, config, apply: true));
            Assert.Equal(0, again.Exit);
            Assert.Contains("plan: 0 to add, 0 to change, 0 to remove", again.Out, StringComparison.Ordinal);
            Assert.Contains("apply: nothing to do (0 changes).", again.Out, StringComparison.Ordinal);

            var before = (await client.GetBucketAsync(bucket)).Metageneration;
            var weaker = Config(Valid(suffix, ", \"versioning\": false"));
            var refused = await RunAsync(Settings(gcs, bucket, weaker, apply: true));
            Assert.Equal(3, refused.Exit);
            Assert.Contains("~ versioning.enabled: true → false   (weakens protection)", refused.Out, StringComparison.Ordinal);
            Assert.Contains("pass --allow-weaken", refused.Err, StringComparison.Ordinal);
            Assert.Equal(before, (await client.GetBucketAsync(bucket)).Metageneration);
            Assert.True((await client.GetBucketAsync(bucket)).Versioning.Enabled);

            var allowed = await RunAsync(Settings(gcs, bucket, weaker, apply: true, allowWeaken: true));
            Assert.Equal(0, allowed.Exit);
            Assert.False((await client.GetBucketAsync(bucket)).Versioning.Enabled);
        }
        finally
        {
            await gcs.DisposeAsync();
        }
    }

    [Fact]
    public async Task Provision_KmsKeyRemovedWithAllowWeaken_ClearsDefaultKeyAndReplanIsZero()
    {
        var gcs = new GcsEmulatorFixture();
        await gcs.InitializeAsync();
        try
        {
            const string Key = "projects/p/locations/us/keyRings/ecco/cryptoKeys/bucket-default";
            var bucket = gcs.NewBucketName("cmek");
            var config = Config(Valid(Guid.NewGuid().ToString("N")[..8]));
            using var client = gcs.CreateClient();

            var withKey = await RunAsync(Settings(gcs, bucket, config, apply: true) with { KmsKey = Key });
            Assert.True(withKey.Exit == 0, withKey.Err);
            Assert.Equal(Key, (await client.GetBucketAsync(bucket)).Encryption.DefaultKmsKeyName);

            // Without the key: a weakening, refused unless allowed.
            var refused = await RunAsync(Settings(gcs, bucket, config, apply: true));
            Assert.Equal(3, refused.Exit);
            Assert.Contains($"- encryption.defaultKmsKeyName: {Key}   (weakens protection)", refused.Out, StringComparison.Ordinal);
            Assert.Equal(Key, (await client.GetBucketAsync(bucket)).Encryption.DefaultKmsKeyName);

            var removed = await RunAsync(Settings(gcs, bucket, config, apply: true, allowWeaken: true));
            Assert.True(removed.Exit == 0, removed.Err);
            Assert.Contains("apply: 1 changes made.", removed.Out, StringComparison.Ordinal);
            Assert.Null((await client.GetBucketAsync(bucket)).Encryption?.DefaultKmsKeyName);

            var replan = await RunAsync(Settings(gcs, bucket, config));
            Assert.Equal(0, replan.Exit);
            Assert.Contains("plan: 0 to add, 0 to change, 0 to remove", replan.Out, StringComparison.Ordinal);
            Assert.DoesNotContain("encryption", replan.Out, StringComparison.Ordinal);
        }
        finally
        {
            await gcs.DisposeAsync();
        }
    }

    [Fact]
    public async Task Provision_Applied_GcloudBucketsDescribeShowsTheSettings()
    {
        var gcs = new GcsEmulatorFixture();
        await gcs.InitializeAsync();
        try
        {
            var bucket = gcs.NewBucketName("desc");
            var apply = await RunAsync(Settings(gcs, bucket, Config(Valid(Guid.NewGuid().ToString("N")[..8])), apply: true));
            Assert.True(apply.Exit == 0, apply.Err);

            using var gcloud = new GcloudCli(gcs.Server.BaseUri, gcs.ProjectId);
            var describe = await gcloud.RunAsync("storage", "buckets", "describe", $"gs://{bucket}", "--format=json");
            Assert.True(describe.Succeeded, describe.ToString());
            var json = System.Text.Json.Nodes.JsonNode.Parse(describe.StandardOutput)!;
            Assert.True(json["versioning_enabled"]!.GetValue<bool>());
            Assert.True(json["uniform_bucket_level_access"]!.GetValue<bool>());
            Assert.Equal("enforced", json["public_access_prevention"]!.GetValue<string>());
            Assert.Equal("US", json["location"]!.GetValue<string>());
            Assert.Equal("ecco-studio", json["labels"]!["app"]!.GetValue<string>());
            var rules = json["lifecycle_config"]!["rule"]!.AsArray();
            Assert.Equal(5, rules.Count);
            Assert.Contains(rules, r => r!["condition"]!["numNewerVersions"]?.GetValue<int>() == 10);
            Assert.Contains(rules, r => r!["action"]!["storageClass"]?.GetValue<string>() == "COLDLINE");
            Assert.NotNull(json["soft_delete_policy"]);
        }
        finally
        {
            await gcs.DisposeAsync();
        }
    }

    [Fact]
    public async Task Provision_PubSubUnreachable_ExitsOneNamingTheResource()
    {
        var gcs = new GcsEmulatorFixture();
        await gcs.InitializeAsync();
        try
        {
            var settings = Settings(gcs, gcs.NewBucketName("down"), Config(Valid("x" + Guid.NewGuid().ToString("N")[..6]))) with { PubSub = "127.0.0.1:9" };
            var (exit, _, err) = await RunAsync(settings);
            Assert.Equal(1, exit);
            Assert.StartsWith("error: reading the current state failed", err, StringComparison.Ordinal);
        }
        finally
        {
            await gcs.DisposeAsync();
        }
    }

    [Fact]
    public async Task SchemasPublish_ChangedTextUnderPublishedVersion_RefusedWithBumpMessage()
    {
        var gcs = new GcsEmulatorFixture();
        await gcs.InitializeAsync();
        try
        {
            var bucket = await gcs.CreateBucketAsync(versioning: true);
            var folder = Directory.CreateDirectory(Path.Combine(_dir, "schemas")).FullName;
            Directory.CreateDirectory(Path.Combine(folder, "venture"));
            var file = Path.Combine(folder, "venture", "v1.0.0.schema.json");
            File.WriteAllText(file, "{\"type\":\"object\"}");
            var settings = new SchemasPublishSettings { Env = "stg", Bucket = bucket, Gcs = gcs.Server.BaseUri, SchemasFolder = folder };
            using var out1 = new StringWriter();
            Assert.Equal(0, await SchemasPublishRunner.RunAsync(settings, out1, TextWriter.Null, default));
            Assert.Contains("published env/stg/schemas/venture/v1.0.0.schema.json", out1.ToString(), StringComparison.Ordinal);
            using var out2 = new StringWriter();
            Assert.Equal(0, await SchemasPublishRunner.RunAsync(settings, out2, TextWriter.Null, default));
            Assert.Contains("schemas: 0 published, 1 already published", out2.ToString(), StringComparison.Ordinal);

            File.WriteAllText(file, "{\"type\":\"object\",\"required\":[\"id\"]}");
            File.WriteAllText(Path.Combine(folder, "venture", "v1.1.0.schema.json"), "{\"type\":\"object\"}");
            using var err = new StringWriter();
            Assert.Equal(3, await SchemasPublishRunner.RunAsync(settings, TextWriter.Null, err, default));
            Assert.Contains("bump the version", err.ToString(), StringComparison.Ordinal);
            using var client = gcs.CreateClient();
            Assert.Equal(0, await CountAsync(client.ListObjectsAsync(bucket, "env/stg/schemas/venture/v1.1.0"))); // nothing written
        }
        finally
        {
            await gcs.DisposeAsync();
        }
    }
}
