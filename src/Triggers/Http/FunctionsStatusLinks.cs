using EccoStudio.Api.Instances;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Triggers.Http;

/// <summary>The Durable extension's own management URLs (with task hub, connection and system key).</summary>
public sealed class FunctionsStatusLinks(DurableTaskClient client, HttpRequestData? request) : IStatusLinks
{
    public CheckStatusPayload Create(string instanceId)
    {
        var p = client.CreateHttpManagementPayload(instanceId, request);
        return new CheckStatusPayload(p.Id ?? instanceId, p.StatusQueryGetUri ?? "", p.SendEventPostUri ?? "", p.TerminatePostUri ?? "",
            p.PurgeHistoryDeleteUri ?? "", p.RestartPostUri ?? "", p.SuspendPostUri ?? "", p.ResumePostUri ?? "");
    }

    public static async Task<FunctionsStatusLinks> ForAsync(DurableTaskClient client, FunctionContext context) =>
        new(client, await context.GetHttpRequestDataAsync());
}
