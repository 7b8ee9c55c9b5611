using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Envelope;

namespace EccoStudio.Storage.Rules;

/// <summary>
/// What a rule must satisfy beyond its schema, checked when it is written so a bad rule is a 422 then and not a failure
/// every time it fires: the action names a configured, allowed webhook (<see cref="WebhookCatalog"/>) and carries no
/// URL of its own; template and subject stay within <see cref="RuleTemplate"/>'s limits; <c>to</c> is a short list.
/// </summary>
public static class RuleValidator
{
    public const int MaxSubjectLength = 256;
    public const int MaxRecipients = 20;

    public static void EnsureValid(JsonObject rule, WebhookCatalog webhooks)
    {
        var ruleId = EnvelopeReader.TryGetString(rule, EnvelopeReader.Id) ?? string.Empty;
        var action = rule["action"] as JsonObject ?? throw new RuleFormatException(ruleId, "missing action");
        if (action.ContainsKey("url"))
        {
            throw new RuleFormatException(ruleId, "'action.url' is not accepted: name a configured destination in 'action.webhook' (URLs are secrets kept in configuration)");
        }

        var name = EnvelopeReader.TryGetString(action, "webhook");
        if (webhooks.TryResolve(name, out var reason) is null)
        {
            throw new RuleFormatException(ruleId, reason!);
        }

        if ((Check(action, "template", RuleTemplate.MaxLength) ?? Check(action, "subject", MaxSubjectLength)) is { } problem)
        {
            throw new RuleFormatException(ruleId, problem);
        }

        if (action["to"] is JsonArray to && to.Count > MaxRecipients)
        {
            throw new RuleFormatException(ruleId, $"'to' lists more than {MaxRecipients} recipients");
        }
    }

    private static string? Check(JsonObject action, string field, int maxLength)
    {
        if (action[field] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return null; // absence and type are the schema's concern
        }

        var text = value.GetValue<string>();
        return text.Length > maxLength ? $"'{field}' is longer than {maxLength} characters" : RuleTemplate.Check(text, field);
    }
}
