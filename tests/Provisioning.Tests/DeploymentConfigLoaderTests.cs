using EccoStudio.Provisioning.Config;

namespace EccoStudio.Provisioning.Tests;

public sealed class DeploymentConfigLoaderTests
{
    private static DeploymentConfig Valid() => new()
    {
        PubSub = new PubSubConfig { PushEndpoint = "https://app.example.net/api/pubsub/gcs-events", PushServiceAccount = "push@{project}.iam.gserviceaccount.com" },
    };

    [Fact]
    public void Load_RepoConfig_ResolvesWithTheSpecDefaults()
    {
        var path = DeploymentConfigLoader.FindRepoConfig();
        Assert.NotNull(path);
        var target = DeploymentConfigLoader.Resolve(DeploymentConfigLoader.Load(path), "my-project", "my-bucket");
        Assert.Equal(["prod"], target.Config.Environments);
        Assert.True(target.Config.Bucket.Versioning);
        Assert.True(target.Config.Bucket.UniformBucketLevelAccess);
        Assert.Equal("enforced", target.Config.Bucket.PublicAccessPrevention);
        Assert.Equal(10, target.Config.Bucket.Lifecycle.KeepVersions);
        Assert.Equal(30, target.Config.Bucket.Lifecycle.NoncurrentSnapshotDays);
        Assert.Equal("serviceAccount:ecco-writer@my-project.iam.gserviceaccount.com", target.Config.Iam.Writer);
        Assert.Equal("ecco-pubsub-push@my-project.iam.gserviceaccount.com", target.Config.PubSub.PushServiceAccount);
    }

    [Theory]
    [InlineData("{\"bucket\":{\"versionning\":true}}", "versionning")]
    [InlineData("{\"pubSub\":{\"ackDeadlineSeconds\":\"sixty\"}}", "$.pubSub.ackDeadlineSeconds")]
    [InlineData("{\"environments\":[\"prod\"],", "config.json")]
    public void Parse_BadJson_ThrowsOneLineNamingTheField(string json, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => DeploymentConfigLoader.Parse(json, "config.json"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("ackDeadline", "pubSub.ackDeadlineSeconds")]
    [InlineData("attempts", "pubSub.maxDeliveryAttempts")]
    [InlineData("env", "environments")]
    [InlineData("member", "iam: member")]
    [InlineData("coldline", "historyColdlineDays")]
    [InlineData("endpoint", "pubSub.pushEndpoint")]
    public void Resolve_OutOfRange_ThrowsOneLine(string what, string expected)
    {
        var c = Valid();
        c = what switch
        {
            "ackDeadline" => c with { PubSub = c.PubSub with { AckDeadlineSeconds = 5 } },
            "attempts" => c with { PubSub = c.PubSub with { MaxDeliveryAttempts = 2 } },
            "env" => c with { Environments = ["production"] },
            "member" => c with { Iam = c.Iam with { Readers = ["alice@example.com"] } },
            "coldline" => c with { Bucket = c.Bucket with { Lifecycle = c.Bucket.Lifecycle with { HistoryColdlineDays = 100 } } },
            _ => c with { PubSub = c.PubSub with { PushEndpoint = "not a url" } },
        };
        var e = Assert.Throws<ConfigException>(() => DeploymentConfigLoader.Resolve(c, "my-project", "my-bucket"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
