using System.Text.Json.Nodes;

namespace EccoStudio.Api.Instances;

/// <summary>The Durable Functions check-status payload (<c>CreateCheckStatusResponse</c>'s body).</summary>
public sealed record CheckStatusPayload(
    string Id,
    string StatusQueryGetUri,
    string SendEventPostUri,
    string TerminatePostUri,
    string PurgeHistoryDeleteUri,
    string RestartPostUri,
    string SuspendPostUri,
    string ResumePostUri)
{
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["statusQueryGetUri"] = StatusQueryGetUri,
        ["sendEventPostUri"] = SendEventPostUri,
        ["terminatePostUri"] = TerminatePostUri,
        ["purgeHistoryDeleteUri"] = PurgeHistoryDeleteUri,
        ["restartPostUri"] = RestartPostUri,
        ["suspendPostUri"] = SuspendPostUri,
        ["resumePostUri"] = ResumePostUri,
    };
}
