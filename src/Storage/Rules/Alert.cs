using System.Text.Json.Nodes;

namespace EccoStudio.Storage.Rules;

/// <summary>An alert to deliver: where (a configured webhook name), what (the webhook body), and the dedupe key (deliver at most once per key).</summary>
public sealed record Alert(string RuleId, string EntityId, string ActionType, string Webhook, string Message, JsonObject Payload, string DedupeKey);
