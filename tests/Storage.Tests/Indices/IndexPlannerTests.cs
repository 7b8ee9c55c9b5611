using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Naming;

namespace EccoStudio.Storage.Tests.Indices;

public class IndexPlannerTests
{
    private static readonly IndexPlanner Planner = new(IndexCatalog.Load(Path.Combine(TestData.SchemasFolder, "indices.json")));

    [Fact]
    public void Plan_NewVenture_AddsStatusLeadAndNextDue()
    {
        var after = TestData.Example("venture.snapshot.json");
        var plan = Planner.Plan(new EntityTarget("prod", EntityCatalog.Venture, "V001"), null, after);
        Assert.Equal(
            ["env/prod/indices/ventures/by-lead/Bob/V001.json", "env/prod/indices/ventures/by-next-due/2026-02/V001.json", "env/prod/indices/ventures/by-status/Pilot/V001.json"],
            plan.Add.Select(p => p.ObjectName).Order(StringComparer.Ordinal));
        Assert.Empty(plan.Remove);
        Assert.Equal("env/prod/snapshots/ventures/V001.json", plan.Add[0].Body["ptr"]!.GetValue<string>());
    }

    [Fact]
    public void Plan_KeyChange_RemovesOldAddsNew_UnchangedKeysCostNothing()
    {
        var target = new EntityTarget("prod", EntityCatalog.Venture, "V001");
        var before = TestData.Example("venture.snapshot.json");
        var after = JsonText.Clone(before);
        after["updated_at"] = "2025-11-07T00:00:00Z";
        Assert.True(Planner.Plan(target, before, after).IsEmpty);
        after["milestones"]![0]!["status"] = "Done";
        var plan = Planner.Plan(target, before, after);
        Assert.Equal(["env/prod/indices/ventures/by-next-due/2026-02/V001.json"], plan.Remove.Select(p => p.ObjectName));
        Assert.Empty(plan.Add);
    }

    [Fact]
    public void Plan_TalentSkills_OnePointerPerSkill()
    {
        var doc = JsonText.ParseObject("""{"id":"T1","entity":"talent","updated_at":"2025-11-06T00:00:00Z","name":"Ada","skills":["rust","ml"],"location":"Berlin"}""");
        var target = new EntityTarget("dev", EntityCatalog.Talent, "T1");
        var plan = Planner.Plan(target, null, doc);
        Assert.Contains(plan.Add, p => p.ObjectName == "env/dev/indices/talent/by-skill/rust/T1.json");
        Assert.Contains(plan.Add, p => p.ObjectName == "env/dev/indices/talent/by-skill/ml/T1.json");
        Assert.Contains(plan.Add, p => p.ObjectName == "env/dev/indices/talent/by-location/Berlin/T1.json");
        var after = JsonText.Clone(doc);
        after["skills"] = new System.Text.Json.Nodes.JsonArray("rust");
        Assert.Equal(["env/dev/indices/talent/by-skill/ml/T1.json"], Planner.Plan(target, doc, after).Remove.Select(p => p.ObjectName));
    }

    [Fact]
    public void Plan_CapTable_SinglePointerByVenture()
    {
        var plan = Planner.Plan(new EntityTarget("prod", EntityCatalog.CapTable, "CT-V001"), null, TestData.Example("cap_table.snapshot.json"));
        var pointer = Assert.Single(plan.Add);
        Assert.Equal("env/prod/indices/cap_tables/by-venture/V001.json", pointer.ObjectName);
        Assert.Equal("2025-11-01", pointer.Body["asOf"]!.GetValue<string>());
    }

    [Fact]
    public void ValidateKeys_KeyWithSlash_Throws()
    {
        var doc = TestData.Example("venture.snapshot.json");
        doc["lead"] = "a/b";
        Assert.Throws<InvalidIdentifierException>(() => Planner.ValidateKeys(new EntityTarget("prod", EntityCatalog.Venture, "V001"), doc));
    }
}
