using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Envelope;

namespace EccoStudio.Storage.Rules;

/// <summary>
/// Pure: snapshot + rules → alerts. A rule (entity <c>rule</c>) applies when <c>target_entity</c> is the snapshot's
/// entity and <c>enabled</c> is not false. Its action: <c>{"type":"slack"|"email","webhook","template",("to","subject")}</c>
/// where <c>webhook</c> names a configured destination (<see cref="WebhookCatalog"/>); <c>{{/json/pointer}}</c> in the
/// template is replaced by the snapshot value (<see cref="RuleTemplate"/>). Dedupe key = SHA-256 (hex) of
/// rule id, rule updated_at, entity, entity id, snapshot updated_at: the same rule version firing on the same
/// snapshot version always yields the same key.
/// </summary>
public static class RuleEvaluator
{
    public static IReadOnlyList<Alert> Evaluate(JsonObject snapshot, IEnumerable<JsonObject> rules)
    {
        var entity = EnvelopeReader.TryGetString(snapshot, EnvelopeReader.Entity);
        var entityId = EnvelopeReader.TryGetString(snapshot, EnvelopeReader.Id) ?? string.Empty;
        var alerts = new List<Alert>();
        foreach (var rule in rules)
        {
            var ruleId = EnvelopeReader.TryGetString(rule, EnvelopeReader.Id) ?? string.Empty;
            if (EnvelopeReader.TryGetString(rule, "target_entity") != entity
                || (rule["enabled"] is JsonValue enabled && enabled.GetValueKind() == JsonValueKind.False))
            {
                continue;
            }

            if (!ConditionEvaluator.Evaluate(rule["condition"], snapshot, ruleId))
            {
                continue;
            }

            var action = rule["action"] as JsonObject ?? throw new RuleFormatException(ruleId, "missing action");
            var type = EnvelopeReader.TryGetString(action, "type");
            if (action.ContainsKey("url"))
            {
                throw new RuleFormatException(ruleId, "'action.url' is no longer accepted: name a configured destination in 'action.webhook'");
            }

            var webhook = EnvelopeReader.TryGetString(action, "webhook") ?? throw new RuleFormatException(ruleId, "action needs 'webhook'");
            var message = Render(EnvelopeReader.TryGetString(action, "template") ?? string.Empty, snapshot);
            var payload = type switch
            {
                "slack" => new JsonObject { ["text"] = message },
                "email" => new JsonObject
                {
                    ["to"] = action["to"]?.DeepClone(),
                    ["subject"] = RuleTemplate.Parse(EnvelopeReader.TryGetString(action, "subject") ?? $"Alert: {ruleId}").Render(snapshot, RuleValidator.MaxSubjectLength * 2),
                    ["text"] = message,
                },
                _ => throw new RuleFormatException(ruleId, $"unknown action type '{type}'"),
            };
            var key = DedupeKey(ruleId, EnvelopeReader.TryGetString(rule, EnvelopeReader.UpdatedAt), entity, entityId,
                EnvelopeReader.TryGetString(snapshot, EnvelopeReader.UpdatedAt));
            alerts.Add(new Alert(ruleId, entityId, type!, webhook, message, payload, key));
        }

        return alerts;
    }

    public static string Render(string template, JsonObject snapshot) => RuleTemplate.Parse(template).Render(snapshot);

    public static string DedupeKey(string ruleId, string? ruleUpdatedAt, string? entity, string entityId, string? snapshotUpdatedAt)
    {
        var text = string.Join('\n', ruleId, ruleUpdatedAt, entity, entityId, snapshotUpdatedAt);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
