using EccoStudio.Storage.Catalog;

namespace EccoStudio.Storage.Tests.Catalog;

public class EntityCatalogTests
{
    [Theory]
    [InlineData("idea", "ideas")]
    [InlineData("venture", "ventures")]
    [InlineData("resource", "resources")]
    [InlineData("budget", "budgets")]
    [InlineData("kpi", "kpis")]
    [InlineData("investor", "investors")]
    [InlineData("partner", "partners")]
    [InlineData("service", "services")]
    [InlineData("talent", "talent")]
    [InlineData("experiment", "experiments")]
    [InlineData("round", "rounds")]
    [InlineData("cap_table", "cap_tables")]
    [InlineData("playbook", "playbooks")]
    [InlineData("rule", "rules")]
    [InlineData("benchmark", "benchmarks")]
    [InlineData("report", "reports")]
    [InlineData("model", "models")]
    [InlineData("simulation", "simulations")]
    [InlineData("dataroom", "dataroom")]
    public void Get_KnownEntity_MapsToPrefixBothWays(string name, string prefix)
    {
        var kind = EntityCatalog.Get(name);
        Assert.Equal(prefix, kind.Prefix);
        Assert.Same(kind, EntityCatalog.GetByPrefix(prefix));
    }

    [Fact]
    public void All_Contains18SpecKindsPlusDataroom()
    {
        Assert.Equal(19, EntityCatalog.All.Count);
        Assert.Equal(18, EntityCatalog.All.Count(k => k.InSpecEnvelopeEnum));
        Assert.False(EntityCatalog.Dataroom.InSpecEnvelopeEnum);
    }

    [Theory]
    [InlineData("ventures")]
    [InlineData("Venture")]
    [InlineData("")]
    public void Get_UnknownName_ThrowsCarryingName(string name)
    {
        var ex = Assert.Throws<UnknownEntityException>(() => EntityCatalog.Get(name));
        Assert.Equal(name, ex.Entity);
    }
}
