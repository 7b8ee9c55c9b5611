using EccoStudio.Api.Instances;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Triggers.Http;

/// <summary>
/// Check-status links in the Functions app: the Durable extension's own management URLs (its webhook base URL, task hub,
/// connection and system key, from the <c>[DurableClient]</c> binding). A client that carries no binding base URL (not
/// bound by the Durable extension) gets the same route shape on the request's own host, as the local host builds them.
/// </summary>
public sealed class FunctionsStatusLinks(DurableTaskClient client, HttpRequest request) : IStatusLinks
{
    public CheckStatusPayload Create(string instanceId)
    {
        HttpManagementPayload p;
        try
        {
            p = client.CreateHttpManagementPayload(instanceId);
        }
        catch (InvalidOperationException)
        {
            return LocalStatusLinks.For(request).Create(instanceId);
        }

        var statusQuery = p.StatusQueryGetUri ?? "";
        return new CheckStatusPayload(p.Id ?? instanceId, statusQuery, p.SendEventPostUri ?? "", p.TerminatePostUri ?? "",
            p.PurgeHistoryDeleteUri ?? "", p.RestartPostUri ?? RestartUri(statusQuery), p.SuspendPostUri ?? "", p.ResumePostUri ?? "");
    }

    /// <summary>The extension's payload may lack the restart URL: <c>{instance}/restart</c> with the same query.</summary>
    private static string RestartUri(string statusQuery)
    {
        var query = statusQuery.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? statusQuery + "/restart" : statusQuery[..query] + "/restart" + statusQuery[query..];
    }
}
