using System.Globalization;
using System.Text.Json.Nodes;

namespace EccoStudio.Reliability.Tests.Support;

/// <summary>Valid venture documents and merge patches (the API stamps id/entity/env/created_at/updated_at).</summary>
public static class Ventures
{
    public static readonly string[] Statuses = ["Idea", "Validation", "Pilot", "Build", "Launch", "Scale"];
    public static readonly string[] Leads = ["Alice", "Bob", "Chen", "Dana"];

    public static JsonObject Full(Random random, int sequence) => new()
    {
        ["schema_version"] = "1.0.0",
        ["name"] = $"Venture {sequence}",
        ["lead"] = Leads[random.Next(Leads.Length)],
        ["status"] = Statuses[random.Next(Statuses.Length)],
        ["milestones"] = new JsonArray(new JsonObject
        {
            ["milestoneId"] = "M1",
            ["title"] = "MVP",
            ["dueDate"] = $"2026-{random.Next(1, 13).ToString("D2", CultureInfo.InvariantCulture)}-01",
            ["status"] = random.Next(3) == 0 ? "Done" : "InProgress",
        }),
        ["budget"] = new JsonObject { ["plannedUSD"] = 300000, ["spentUSD"] = sequence },
        ["kpis"] = new JsonObject { ["MRR"] = sequence, ["userCount"] = random.Next(10_000) },
    };

    public static JsonObject Patch(Random random, int sequence) => random.Next(3) switch
    {
        0 => new JsonObject { ["status"] = Statuses[random.Next(Statuses.Length)], ["kpis"] = new JsonObject { ["MRR"] = sequence } },
        1 => new JsonObject { ["lead"] = Leads[random.Next(Leads.Length)], ["budget"] = new JsonObject { ["spentUSD"] = sequence } },
        _ => new JsonObject { ["kpis"] = new JsonObject { ["churnRate"] = sequence % 100 / 1000.0, ["MRR"] = sequence } },
    };
}
