using System.Globalization;
using System.Text.Json.Nodes;
using EccoStudio.Provisioning.Config;
using EccoStudio.Provisioning.Planning;

namespace EccoStudio.Provisioning.PubSub;

/// <summary>
/// Topics (events, dead letter), the push subscription to the bridge (OIDC token, ack deadline, exponential retry,
/// dead-letter policy) and the ops pull subscription on the dead-letter topic. Existing subscriptions are patched
/// with an update mask of exactly the fields that differ; a subscription's topic cannot change (refused).
/// </summary>
public sealed class PubSubPlanner(PubSubRestClient pubsub, DeploymentTarget target)
{
    private const string DeadLetterRetention = "604800s";

    public async Task<IReadOnlyList<ResourcePlan>> PlanAsync(CancellationToken cancellationToken)
    {
        var p = target.Config.PubSub;
        var plans = new List<ResourcePlan> { await TopicAsync(p.Topic, cancellationToken) };
        if (p.DeadLetterTopic is { } dlq)
        {
            plans.Add(await TopicAsync(dlq, cancellationToken));
        }

        plans.Add(await SubscriptionAsync(p.Subscription, PushSubscription(), cancellationToken));
        if (p.DeadLetterTopic is { } dead)
        {
            plans.Add(await SubscriptionAsync(p.DeadLetterSubscription, new JsonObject
            {
                ["topic"] = target.TopicPath(dead),
                ["ackDeadlineSeconds"] = 60,
                ["messageRetentionDuration"] = DeadLetterRetention,
            }, cancellationToken));
        }

        return plans;
    }

    /// <summary>The declared push subscription body.</summary>
    public JsonObject PushSubscription()
    {
        var p = target.Config.PubSub;
        var body = new JsonObject
        {
            ["topic"] = target.TopicPath(p.Topic),
            ["pushConfig"] = new JsonObject
            {
                ["pushEndpoint"] = p.PushEndpoint,
                ["oidcToken"] = new JsonObject { ["serviceAccountEmail"] = p.PushServiceAccount, ["audience"] = p.EffectiveAudience },
            },
            ["ackDeadlineSeconds"] = p.AckDeadlineSeconds,
            ["retryPolicy"] = new JsonObject { ["minimumBackoff"] = Seconds(p.MinimumBackoffSeconds), ["maximumBackoff"] = Seconds(p.MaximumBackoffSeconds) },
        };
        if (p.DeadLetterTopic is { } dlq)
        {
            body["deadLetterPolicy"] = new JsonObject { ["deadLetterTopic"] = target.TopicPath(dlq), ["maxDeliveryAttempts"] = p.MaxDeliveryAttempts };
        }

        return body;
    }

    private async Task<ResourcePlan> TopicAsync(string id, CancellationToken cancellationToken)
    {
        var path = target.TopicPath(id);
        var exists = await pubsub.GetTopicAsync(path, cancellationToken) is not null;
        var change = exists ? new PlannedChange("topic", ChangeKind.Keep, path, path) : new PlannedChange("topic", ChangeKind.Add, null, path);
        return new ResourcePlan($"Pub/Sub topic {path}", [change], exists ? null : ct => pubsub.CreateTopicAsync(path, ct));
    }

    private async Task<ResourcePlan> SubscriptionAsync(string id, JsonObject desired, CancellationToken cancellationToken)
    {
        var path = target.SubscriptionPath(id);
        var actual = await pubsub.GetSubscriptionAsync(path, cancellationToken);
        var desiredFields = Flatten(desired);
        var actualFields = actual is null ? new SortedDictionary<string, string>(StringComparer.Ordinal) : Flatten(actual);
        var changes = new List<PlannedChange>();
        var refusals = new List<string>();
        foreach (var (field, value) in desiredFields)
        {
            changes.Add(PlannedChange.Compare(field, actualFields.GetValueOrDefault(field), value));
        }

        foreach (var field in actualFields.Keys.Where(f => f.StartsWith("deadLetterPolicy.", StringComparison.Ordinal) && !desiredFields.ContainsKey(f)))
        {
            changes.Add(new PlannedChange(field, ChangeKind.Remove, actualFields[field], null, Weakens: true));
        }

        if (actual is not null && actualFields.GetValueOrDefault("topic") is { } topic && topic != desiredFields["topic"])
        {
            refusals.Add($"subscription {path} reads {topic}, the config says {desiredFields["topic"]}: a subscription's topic cannot change (delete it by hand or choose another name).");
        }

        var pending = changes.Where(c => c.Kind != ChangeKind.Keep).ToList();
        Func<CancellationToken, Task>? apply = pending.Count == 0 ? null
            : actual is null ? ct => pubsub.CreateSubscriptionAsync(path, desired, ct)
            : ct => pubsub.PatchSubscriptionAsync(path, Without(desired, "topic"),
                pending.Select(c => c.Field.Split('.')[0]).Where(f => f != "topic").Distinct(StringComparer.Ordinal), ct);
        return new ResourcePlan($"Pub/Sub subscription {path}", changes, apply) { Refusals = refusals };
    }

    /// <summary>Leaf fields as dotted paths; durations normalised to whole seconds ("10.000s" = "10s").</summary>
    private static SortedDictionary<string, string> Flatten(JsonObject subscription)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? node, string path)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj)
                    {
                        Walk(value, path.Length == 0 ? key : $"{path}.{key}");
                    }

                    break;
                case JsonValue value:
                    var text = value.ToString();
                    result[path] = path.EndsWith("Backoff", StringComparison.Ordinal) || path.EndsWith("Duration", StringComparison.Ordinal) ? NormaliseDuration(text) : text;
                    break;
            }
        }

        foreach (var field in new[] { "topic", "pushConfig", "ackDeadlineSeconds", "retryPolicy", "deadLetterPolicy", "messageRetentionDuration" })
        {
            Walk(subscription[field], field);
        }

        return result;
    }

    private static string NormaliseDuration(string text) =>
        text.EndsWith('s') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? Seconds((int)Math.Round(seconds))
            : text;

    private static string Seconds(int seconds) => seconds.ToString(CultureInfo.InvariantCulture) + "s";

    private static JsonObject Without(JsonObject body, string field)
    {
        var copy = (JsonObject)body.DeepClone();
        copy.Remove(field);
        return copy;
    }
}
