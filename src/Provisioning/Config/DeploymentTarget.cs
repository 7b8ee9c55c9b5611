namespace EccoStudio.Provisioning.Config;

/// <summary>Where the declared state goes: the GCP project and bucket (from flags), plus the loaded config.</summary>
public sealed record DeploymentTarget(string Project, string Bucket, DeploymentConfig Config)
{
    /// <summary><c>projects/{project}/topics/{id}</c></summary>
    public string TopicPath(string id) => $"projects/{Project}/topics/{id}";

    /// <summary><c>projects/{project}/subscriptions/{id}</c></summary>
    public string SubscriptionPath(string id) => $"projects/{Project}/subscriptions/{id}";

    /// <summary>The IAM resource name of an object prefix (what conditions on <c>resource.name</c> see).</summary>
    public string ObjectResource(string prefix) => $"projects/_/buckets/{Bucket}/objects/{prefix}";
}
