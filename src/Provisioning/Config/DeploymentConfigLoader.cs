using System.Text.Json;
using System.Text.Json.Serialization;
using EccoStudio.Storage.Naming;

namespace EccoStudio.Provisioning.Config;

/// <summary>
/// Reads <c>deploy/gcp.json</c> strictly (unknown fields, wrong types and out-of-range values are one-line
/// <see cref="ConfigException"/>s), fills <c>{project}</c>/<c>{bucket}</c> placeholders and applies flag overrides.
/// </summary>
public static class DeploymentConfigLoader
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The repo's <c>deploy/gcp.json</c>, found by walking up from the program's folder; null when absent.</summary>
    public static string? FindRepoConfig()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "deploy", "gcp.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static DeploymentConfig Parse(string json, string source)
    {
        DeploymentConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<DeploymentConfig>(json, Options);
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) ? "" : $" at {e.Path}";
            throw new ConfigException($"{source}{where}: {FirstSentence(e.Message)}", e);
        }

        return config ?? throw new ConfigException($"{source}: the file holds no JSON object.");
    }

    public static DeploymentConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"config {path} cannot be read: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Fills placeholders, applies overrides and validates; the result is what provision declares.</summary>
    public static DeploymentTarget Resolve(DeploymentConfig config, string project, string bucket, IReadOnlyList<string>? environments = null,
        string? kmsKey = null, string? pushEndpoint = null)
    {
        string Fill(string value) => value.Replace("{project}", project, StringComparison.Ordinal).Replace("{bucket}", bucket, StringComparison.Ordinal);
        string? FillOpt(string? value) => value is null ? null : Fill(value);

        var pubsub = config.PubSub with
        {
            PushEndpoint = FillOpt(pushEndpoint ?? config.PubSub.PushEndpoint),
            PushServiceAccount = FillOpt(config.PubSub.PushServiceAccount),
            Audience = FillOpt(config.PubSub.Audience),
        };
        var iam = config.Iam with
        {
            Writer = FillOpt(config.Iam.Writer),
            Readers = config.Iam.Readers.Select(Fill).ToList(),
            Investors = config.Iam.Investors.Select(Fill).ToList(),
            AdditionalBindings = config.Iam.AdditionalBindings.Select(b => b with
            {
                Members = b.Members.Select(Fill).ToList(),
                Condition = b.Condition is null ? null : b.Condition with { Expression = Fill(b.Condition.Expression) },
            }).ToList(),
        };
        var resolved = config with
        {
            Environments = environments is { Count: > 0 } ? environments : config.Environments,
            Bucket = config.Bucket with { KmsKey = FillOpt(kmsKey ?? config.Bucket.KmsKey) },
            PubSub = pubsub,
            Iam = iam,
        };
        Validate(project, bucket, resolved);
        return new DeploymentTarget(project, bucket, resolved);
    }

    private static void Validate(string project, string bucket, DeploymentConfig c)
    {
        Check(project.Length is >= 4 and <= 30 && project.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '-'),
            $"--project '{project}' is not a GCP project id (4-30 lowercase letters, digits, hyphens).");
        Check(bucket.Length is >= 3 and <= 63 && bucket.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch is '-' or '_' or '.'),
            $"--bucket '{bucket}' is not a valid bucket name.");
        Check(c.Environments.Count > 0, "environments: name at least one of dev, stg, prod.");
        foreach (var env in c.Environments)
        {
            Check(Identifiers.Environments.Contains(env, StringComparer.Ordinal), $"environments: '{env}' is not one of dev, stg, prod.");
        }

        var b = c.Bucket;
        Check(b.Location.Length > 0, "bucket.location is empty.");
        Check(b.PublicAccessPrevention is "enforced" or "inherited", "bucket.publicAccessPrevention must be enforced or inherited.");
        Check(b.KmsKey is null || (b.KmsKey.StartsWith("projects/", StringComparison.Ordinal) && b.KmsKey.Contains("/cryptoKeys/", StringComparison.Ordinal)),
            $"bucket.kmsKey '{b.KmsKey}' is not projects/P/locations/L/keyRings/R/cryptoKeys/K.");
        Check(b.SoftDeleteDays is 0 or (>= 7 and <= 90), "bucket.softDeleteDays must be 0 (off) or 7..90.");
        Check(b.HistoryRetentionDays is >= 0 and <= 36500, "bucket.historyRetentionDays must be within 0..36500.");
        foreach (var (key, value) in b.Labels)
        {
            Check(key.Length is > 0 and <= 63 && char.IsAsciiLetterLower(key[0]) && key.All(LabelChar) && value.Length <= 63 && value.All(LabelChar),
                $"bucket.labels: '{key}' = '{value}' is not a valid label (lowercase letters, digits, - and _).");
        }

        var l = b.Lifecycle;
        Check(l.KeepVersions is >= 1 and <= 1000, "bucket.lifecycle.keepVersions must be within 1..1000.");
        Check(l.NoncurrentSnapshotDays is >= 1 and <= 3650, "bucket.lifecycle.noncurrentSnapshotDays must be within 1..3650.");
        Check(l.HistoryNearlineDays is >= 30 and <= 3650, "bucket.lifecycle.historyNearlineDays must be within 30..3650 (Nearline bills at least 30 days).");
        Check(l.HistoryColdlineDays == 0 || l.HistoryColdlineDays >= l.HistoryNearlineDays + 30,
            "bucket.lifecycle.historyColdlineDays must be 0 (never) or at least historyNearlineDays + 30.");
        Check(l.TmpDays is >= 1 and <= 365, "bucket.lifecycle.tmpDays must be within 1..365.");

        var p = c.PubSub;
        CheckPubSubId(p.Topic, "pubSub.topic");
        CheckPubSubId(p.Subscription, "pubSub.subscription");
        CheckPubSubId(p.DeadLetterSubscription, "pubSub.deadLetterSubscription");
        if (p.DeadLetterTopic is not null)
        {
            CheckPubSubId(p.DeadLetterTopic, "pubSub.deadLetterTopic");
        }

        Check(p.PushEndpoint is not null && Uri.TryCreate(p.PushEndpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "https" or "http",
            "pubSub.pushEndpoint must be the bridge's absolute URL (https://APP.azurewebsites.net/api/pubsub/gcs-events) or --push-endpoint.");
        Check(p.PushServiceAccount is { } sa && sa.Contains('@', StringComparison.Ordinal) && !sa.Contains(':', StringComparison.Ordinal),
            "pubSub.pushServiceAccount must be a service account email (the OIDC token's identity).");
        Check(p.AckDeadlineSeconds is >= 10 and <= 600, "pubSub.ackDeadlineSeconds must be within 10..600.");
        Check(p.MinimumBackoffSeconds is >= 0 and <= 600 && p.MaximumBackoffSeconds is >= 0 and <= 600 && p.MinimumBackoffSeconds <= p.MaximumBackoffSeconds,
            "pubSub.minimumBackoffSeconds/maximumBackoffSeconds must be within 0..600 with minimum <= maximum.");
        Check(p.MaxDeliveryAttempts is >= 5 and <= 100, "pubSub.maxDeliveryAttempts must be within 5..100.");

        var iam = c.Iam;
        foreach (var member in iam.Readers.Concat(iam.Investors).Concat(iam.Writer is null ? [] : [iam.Writer]).Concat(iam.AdditionalBindings.SelectMany(x => x.Members)))
        {
            Check(member.IndexOf(':', StringComparison.Ordinal) is > 0 and var i && i < member.Length - 1 && !member.Any(char.IsWhiteSpace),
                $"iam: member '{member}' is not type:id (serviceAccount:, user:, group:, principal:, principalSet:, projectOwner:...).");
        }

        Check(Identifiers.Environments.Contains(iam.InvestorEnv, StringComparer.Ordinal), $"iam.investorEnv '{iam.InvestorEnv}' is not one of dev, stg, prod.");
        foreach (var binding in iam.AdditionalBindings)
        {
            Check(binding.Role.StartsWith("roles/", StringComparison.Ordinal) || binding.Role.StartsWith("projects/", StringComparison.Ordinal),
                $"iam.additionalBindings: role '{binding.Role}' is not roles/... or projects/P/roles/....");
            Check(binding.Members.Count > 0, $"iam.additionalBindings: the binding for {binding.Role} has no members.");
            Check(binding.Condition is null || (binding.Condition.Title.Length > 0 && binding.Condition.Expression.Length > 0),
                $"iam.additionalBindings: the condition on {binding.Role} needs a title and an expression.");
        }
    }

    private static bool LabelChar(char ch) => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch is '-' or '_';

    private static void CheckPubSubId(string id, string field) =>
        Check(id.Length is >= 3 and <= 255 && char.IsAsciiLetter(id[0]) && !id.StartsWith("goog", StringComparison.OrdinalIgnoreCase)
                && id.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' or '~' or '+' or '%'),
            $"{field} '{id}' is not a Pub/Sub id (3-255 characters, starting with a letter).");

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ConfigException(message);
        }
    }

    private static string FirstSentence(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        var cut = line.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? line[..cut] : line;
    }
}
