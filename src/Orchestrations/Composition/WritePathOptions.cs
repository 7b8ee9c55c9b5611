using EccoStudio.Activities.Alerts;
using Microsoft.Extensions.Configuration;

namespace EccoStudio.Orchestrations.Composition;

/// <summary>
/// What the durable write path owns (section <c>Ecco:WritePath</c>): step retries, batch and compaction sizes, the
/// rule cache and webhook delivery. Where the data lives is storage's (<c>Ecco:Storage</c>, <c>AddEccoStorage</c>).
/// </summary>
public sealed class WritePathOptions
{
    public const string SectionName = "Ecco:WritePath";

    /// <summary>Retry policy of every write step.</summary>
    public StepRetryOptions Retry { get; set; } = new();

    /// <summary>Most sub-orchestrations a batch runs at once.</summary>
    public int BatchParallelism { get; set; } = 16;

    /// <summary>Entries per manifest shard.</summary>
    public int ManifestShardSize { get; set; } = 1000;

    /// <summary>
    /// How long the rules targeting an entity kind are reused between writes (0 = read them on every write).
    /// A rule written through this process takes effect at once; through another process, within this time.
    /// </summary>
    public TimeSpan RulesCacheTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Webhook delivery.</summary>
    public AlertDeliveryOptions Alerts { get; set; } = new();

    /// <summary>The options bound from <see cref="SectionName"/> (defaults where the section says nothing).</summary>
    public static WritePathOptions From(IConfiguration configuration)
    {
        var options = new WritePathOptions();
        configuration.GetSection(SectionName).Bind(options);
        return options;
    }
}

/// <summary>Per-activity retry: bounded attempts, exponential backoff; only transient failures are retried.</summary>
public sealed class StepRetryOptions
{
    public int MaxAttempts { get; set; } = 5;

    public TimeSpan FirstRetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    public double BackoffCoefficient { get; set; } = 2.0;

    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromSeconds(30);
}
