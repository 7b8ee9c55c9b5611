using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Indices;

namespace EccoStudio.Storage.Rules;

/// <summary>
/// Pure: snapshot + rules → alerts. A rule (entity <c>rule</c>) applies when <c>target_entity</c> is the snapshot's
/// entity and <c>enabled</c> is not false. Its action: <c>{"type":"slack"|"email","url","template",("to","subject")}</c>;
/// <c>{{/json/pointer}}</c> in the template is replaced by the snapshot value. Dedupe key = SHA-256 (hex) of
/// rule id, rule updated_at, entity, entity id, snapshot updated_at: the same rule version firing on the same
/// snapshot version always yields the same key.
/// </summary>
public static partial class RuleEvaluator
{
    [GeneratedRegex(@"\{\{(/[^}]*|)\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

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
            var url = EnvelopeReader.TryGetString(action, "url") ?? throw new RuleFormatException(ruleId, "action needs 'url'");
            var message = Render(EnvelopeReader.TryGetString(action, "template") ?? string.Empty, snapshot);
            var payload = type switch
            {
                "slack" => new JsonObject { ["text"] = message },
                "email" => new JsonObject
                {
                    ["to"] = action["to"]?.DeepClone(),
                    ["subject"] = Render(EnvelopeReader.TryGetString(action, "subject") ?? $"Alert: {ruleId}", snapshot),
                    ["text"] = message,
                },
                _ => throw new RuleFormatException(ruleId, $"unknown action type '{type}'"),
            };
            var key = DedupeKey(ruleId, EnvelopeReader.TryGetString(rule, EnvelopeReader.UpdatedAt), entity, entityId,
                EnvelopeReader.TryGetString(snapshot, EnvelopeReader.UpdatedAt));
            alerts.Add(new Alert(ruleId, entityId, type!, url, message, payload, key));
        }

        return alerts;
    }

    public static string Render(string template, JsonObject snapshot) =>
        Placeholder().Replace(template, m =>
        {
            var value = IndexDefinition.Resolve(snapshot, m.Groups[1].Value);
            return value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? string.Empty;
        });

    public static string DedupeKey(string ruleId, string? ruleUpdatedAt, string? entity, string entityId, string? snapshotUpdatedAt)
    {
        var text = string.Join('\n', ruleId, ruleUpdatedAt, entity, entityId, snapshotUpdatedAt);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
