namespace EccoStudio.Provisioning.Config;

/// <summary>
/// The desired GCP state, as written in <c>deploy/gcp.json</c> (camelCase). Defaults are the spec's (docs/operations.md
/// "What provision declares"): one bucket with env prefixes, versioning, UBLA, PAP enforced, lifecycle per §8, path-scoped
/// IAM per §7, notifications → topic → push subscription with OIDC and a dead-letter topic per §6/§9.
/// Strings may hold <c>{project}</c>, <c>{bucket}</c> and <c>{env}</c> (the investor env) placeholders.
/// </summary>
public sealed record DeploymentConfig
{
    /// <summary>Environments whose <c>env/{env}/</c> objects notify, get lifecycle rules and published schemas.</summary>
    public IReadOnlyList<string> Environments { get; init; } = ["prod"];

    public BucketConfig Bucket { get; init; } = new();

    public PubSubConfig PubSub { get; init; } = new();

    public IamConfig Iam { get; init; } = new();
}

/// <summary>Bucket settings (spec §2, §8).</summary>
public sealed record BucketConfig
{
    /// <summary>A multi-region (US, EU, ASIA) by default; fixed once the bucket exists.</summary>
    public string Location { get; init; } = "US";

    /// <summary>Object versioning (spec §2: on); turning it off weakens protection.</summary>
    public bool Versioning { get; init; } = true;

    /// <summary>Uniform bucket-level access (spec §2: on); IAM conditions need it.</summary>
    public bool UniformBucketLevelAccess { get; init; } = true;

    /// <summary>Public access prevention: <c>enforced</c> (spec §2) or <c>inherited</c>.</summary>
    public string PublicAccessPrevention { get; init; } = "enforced";

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string> { ["app"] = "ecco-studio" };

    /// <summary>Default Cloud KMS key (CMEK) for new objects; null = Google-managed encryption.</summary>
    public string? KmsKey { get; init; }

    /// <summary>Soft-delete window for deleted/overwritten objects (GCS default 7 days); shortening it weakens protection.</summary>
    public int SoftDeleteDays { get; init; } = 7;

    public LifecycleConfig Lifecycle { get; init; } = new();

    /// <summary>
    /// Days history objects are locked against deletion (Object Retention Lock, switched on at bucket creation);
    /// 0 = off. A bucket-wide retention policy would also freeze snapshots, manifests and indices, which are overwritten.
    /// </summary>
    public int HistoryRetentionDays { get; init; }
}

/// <summary>Lifecycle numbers (spec §8).</summary>
public sealed record LifecycleConfig
{
    /// <summary>Versions kept per snapshot/manifest object (the live one plus N-1 noncurrent).</summary>
    public int KeepVersions { get; init; } = 10;

    /// <summary>Noncurrent snapshot versions are deleted this many days after they stopped being live.</summary>
    public int NoncurrentSnapshotDays { get; init; } = 30;

    /// <summary>History moves STANDARD → NEARLINE at this age (days).</summary>
    public int HistoryNearlineDays { get; init; } = 90;

    /// <summary>History moves NEARLINE → COLDLINE at this age (days); 0 = never.</summary>
    public int HistoryColdlineDays { get; init; } = 365;

    /// <summary>Objects under <c>env/{env}/tmp/</c> are deleted at this age (days).</summary>
    public int TmpDays { get; init; } = 1;
}

/// <summary>Delivery of bucket notifications to the bridge (spec §6, §9).</summary>
public sealed record PubSubConfig
{
    public string Topic { get; init; } = "ecco-gcs-events";

    public string Subscription { get; init; } = "ecco-gcs-bridge";

    /// <summary>The bridge URL, e.g. https://APP.azurewebsites.net/api/pubsub/gcs-events.</summary>
    public string? PushEndpoint { get; init; }

    /// <summary>Service account whose OIDC token Pub/Sub attaches to each push.</summary>
    public string? PushServiceAccount { get; init; }

    /// <summary>Token audience (the bridge's Ecco:PubSub:Audience); default: the push endpoint.</summary>
    public string? Audience { get; init; }

    public int AckDeadlineSeconds { get; init; } = 60;

    public int MinimumBackoffSeconds { get; init; } = 10;

    public int MaximumBackoffSeconds { get; init; } = 600;

    /// <summary>Dead-letter topic; null removes dead-lettering (a weakening).</summary>
    public string? DeadLetterTopic { get; init; } = "ecco-gcs-events-dead-letter";

    public int MaxDeliveryAttempts { get; init; } = 10;

    /// <summary>Pull subscription on the dead-letter topic that <c>dlq replay</c> and operators read.</summary>
    public string DeadLetterSubscription { get; init; } = "ecco-gcs-events-dead-letter-ops";

    public string EffectiveAudience => string.IsNullOrWhiteSpace(Audience) ? PushEndpoint ?? string.Empty : Audience;
}

/// <summary>Bucket IAM members (spec §7).</summary>
public sealed record IamConfig
{
    /// <summary>The app's identity (Functions app via workload identity federation, or a service account).</summary>
    public string? Writer { get; init; }

    public IReadOnlyList<string> Readers { get; init; } = [];

    /// <summary>Read-only on <c>env/{investorEnv}/snapshots/</c> only.</summary>
    public IReadOnlyList<string> Investors { get; init; } = [];

    public string InvestorEnv { get; init; } = "prod";

    /// <summary>Bindings kept as written (e.g. the project owners' legacy bucket roles).</summary>
    public IReadOnlyList<BindingConfig> AdditionalBindings { get; init; } = [];
}

public sealed record BindingConfig
{
    public string Role { get; init; } = string.Empty;

    public IReadOnlyList<string> Members { get; init; } = [];

    public ConditionConfig? Condition { get; init; }
}

public sealed record ConditionConfig
{
    public string Title { get; init; } = string.Empty;

    public string? Description { get; init; }

    public string Expression { get; init; } = string.Empty;
}
