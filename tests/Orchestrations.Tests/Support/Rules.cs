using EccoStudio.Storage.Rules;

namespace EccoStudio.Orchestrations.Tests.Support;

/// <summary>Rule documents for alert tests.</summary>
public static class Rules
{
    /// <summary>The webhook name the rules below use.</summary>
    public const string HookName = "pilot-hook";

    /// <summary>Fires for ventures whose status is Pilot; Slack-style body <c>{"text":"{id} is in {status}"}</c>.</summary>
    public static string PilotAlert(string id, string webhook = HookName, string updatedAt = "2025-11-01T00:00:00Z") =>
        $$$"""
        {"id":"{{{id}}}","entity":"rule","env":"dev","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z","updated_at":"{{{updatedAt}}}","name":"Pilot alert","target_entity":"venture","enabled":true,"condition":{"pointer":"/status","op":"eq","value":"Pilot"},"action":{"type":"slack","webhook":"{{{webhook}}}","template":"{{/id}} is in {{/status}}"}}
        """;

    /// <summary>Configures <see cref="HookName"/> to a local receiver (loopback http is allowed for tests only).</summary>
    public static Action<WebhookOptions> Hook(string url) => options =>
    {
        options.AllowLoopbackHttp = true;
        options.Webhooks[HookName] = url;
    };
}
