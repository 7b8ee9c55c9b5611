using System.Globalization;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;

namespace EccoStudio.Bench.Support;

/// <summary>
/// Venture documents for the write benchmarks. Every document gets a fresh, strictly increasing updated_at (one
/// second apart), so each write of an id is newer than the previous one (an older full document would be a no-op).
/// Three index pointers per venture (by-status, by-lead, by-next-due); a "steady" write changes only KPIs.
/// </summary>
public static class Ventures
{
    private static readonly DateTimeOffset Origin = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static long s_clock;

    public const string Env = "dev";

    public static EntityTarget Target(string id) => EntityTarget.Of(Env, "venture", id);

    public static string NextUpdatedAt() =>
        Origin.AddSeconds(Interlocked.Increment(ref s_clock)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Text(string id, string status = "Pilot", int mrr = 12000, string lead = "Bob") =>
        "{\"id\":\"" + id + "\",\"entity\":\"venture\",\"env\":\"" + Env + "\",\"schema_version\":\"1.0.0\",\"created_at\":\"2025-01-01T00:00:00Z\",\"updated_at\":\""
        + NextUpdatedAt() + "\",\"name\":\"Venture " + id + "\",\"lead\":\"" + lead + "\",\"status\":\"" + status + "\"," + Body(mrr) + "}";

    public static JsonObject Document(string id, string status = "Pilot", int mrr = 12000) => JsonText.ParseObject(Text(id, status, mrr));

    /// <summary>An RFC 7396 merge patch that changes a KPI only (no index key or display field).</summary>
    public static string PatchText(string id, int mrr) =>
        "{\"id\":\"" + id + "\",\"entity\":\"venture\",\"env\":\"" + Env + "\",\"updated_at\":\"" + NextUpdatedAt() + "\",\"kpis\":{\"MRR\":" + Num(mrr) + "}}";

    /// <summary>The HTTP body of a PUT (envelope fields the route fills in left out, as a client would send it).</summary>
    public static string HttpBody(int mrr, string status = "Pilot") =>
        "{\"schema_version\":\"1.0.0\",\"updated_at\":\"" + NextUpdatedAt() + "\",\"name\":\"Venture\",\"lead\":\"Bob\",\"status\":\"" + status + "\"," + Body(mrr) + "}";

    public static string HttpPatch(int mrr) => "{\"updated_at\":\"" + NextUpdatedAt() + "\",\"kpis\":{\"MRR\":" + Num(mrr) + "}}";

    private static string Body(int mrr) =>
        "\"milestones\":[{\"milestoneId\":\"M1\",\"title\":\"Build MVP\",\"dueDate\":\"2026-02-01\",\"status\":\"InProgress\"}],"
        + "\"budget\":{\"plannedUSD\":300000,\"spentUSD\":45000},\"kpis\":{\"MRR\":" + Num(mrr) + ",\"userCount\":1200,\"churnRate\":0.02}";

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
