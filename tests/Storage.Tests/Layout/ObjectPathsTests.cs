using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Naming;

namespace EccoStudio.Storage.Tests.Layout;

public class ObjectPathsTests
{
    private static readonly Ulid SampleUlid = Ulid.Parse("01HFB9ZK3Q7W8X9Y0ABCDEFGHJ");

    [Fact]
    public void History_SpecExample_BuildsDatedPathWithSecondsTimestamp()
    {
        var target = new EntityTarget("prod", EntityCatalog.Idea, "IDEA-001");
        var at = DateTimeOffset.Parse("2025-11-06T10:18:22.734Z", System.Globalization.CultureInfo.InvariantCulture);
        var name = ObjectPaths.History(target, new HistoryKey(at, SampleUlid));
        Assert.Equal("env/prod/ideas/IDEA-001/history/2025/11/06/2025-11-06T10:18:22Z_01HFB9ZK3Q7W8X9Y0ABCDEFGHJ.json", name);
    }

    [Fact]
    public void Snapshot_Manifest_Index_Schema_Paths_FollowSpec()
    {
        var venture = new EntityTarget("prod", EntityCatalog.Venture, "V001");
        Assert.Equal("env/prod/snapshots/ventures/V001.json", ObjectPaths.Snapshot(venture));
        Assert.Equal("env/prod/snapshots/cap_tables/CT-V001.json", ObjectPaths.Snapshot(new EntityTarget("prod", EntityCatalog.CapTable, "CT-V001")));
        Assert.Equal("env/prod/manifests/ventures/_index.ndjson", ObjectPaths.ManifestIndex("prod", EntityCatalog.Venture));
        Assert.Equal("env/prod/manifests/ventures/entries/V001.json", ObjectPaths.ManifestEntry(venture));
        Assert.Equal("env/prod/manifests/ventures/shards/C1/0003.ndjson", ObjectPaths.ManifestShard("prod", EntityCatalog.Venture, "C1", 3));
        Assert.Equal("env/prod/indices/ventures/by-status/Pilot/V001.json", ObjectPaths.IndexPointer("prod", EntityCatalog.Venture, "by-status", "Pilot", "V001"));
        Assert.Equal("env/prod/indices/rounds/by-venture/V001/R1.json", ObjectPaths.IndexPointer("prod", EntityCatalog.Round, "by-venture", "V001", "R1"));
        Assert.Equal("env/prod/indices/cap_tables/by-venture/V001.json", ObjectPaths.IndexSinglePointer("prod", EntityCatalog.CapTable, "by-venture", "V001"));
        Assert.Equal("env/dev/schemas/cap_table/v1.0.0.schema.json", ObjectPaths.Schema("dev", EntityCatalog.CapTable, SchemaVersion.V1));
        Assert.Equal("env/stg/logs/alerts/x.json", ObjectPaths.Log("stg", "alerts/x.json"));
        Assert.Equal("env/stg/tmp/a/b", ObjectPaths.Tmp("stg", "a/b"));
    }

    [Fact]
    public void ManifestChange_FixedWidthTime_NamesSortByTime()
    {
        var venture = new EntityTarget("prod", EntityCatalog.Venture, "V001");
        var at = new DateTimeOffset(2026, 12, 2, 16, 24, 20, TimeSpan.Zero);
        Assert.Equal("env/prod/manifests/ventures/changes/2026-12-02T16:24:20.0000000Z_V001.json", ObjectPaths.ManifestChange(venture, at));
        var later = ObjectPaths.ManifestChange(new EntityTarget("prod", EntityCatalog.Venture, "A"), at.AddTicks(1));
        Assert.True(string.CompareOrdinal(ObjectPaths.ManifestChange(venture, at), later) < 0);
        Assert.True(string.CompareOrdinal(ObjectPaths.ManifestChangesFrom("prod", EntityCatalog.Venture, at), ObjectPaths.ManifestChange(venture, at)) < 0);
    }

    [Fact]
    public void BucketFor_DefaultIsSingleBucket_OptionPerEnvironment()
    {
        Assert.Equal("ecco-studio-platform-data", new ObjectPaths().BucketFor("prod"));
        var perEnv = new ObjectPaths(new StorageLayoutOptions { Mode = BucketMode.BucketPerEnvironment });
        Assert.Equal("ecco-studio-platform-data-stg", perEnv.BucketFor("stg"));
    }

    [Fact]
    public void IndexPointer_BadKey_Throws() =>
        Assert.Throws<InvalidIdentifierException>(() => ObjectPaths.IndexPointer("prod", EntityCatalog.Venture, "by-status", "a/b", "V1"));

    [Fact]
    public void EntityTarget_BadIdOrEnv_Throws()
    {
        Assert.Throws<InvalidIdentifierException>(() => new EntityTarget("prod", EntityCatalog.Venture, "../x"));
        Assert.Throws<InvalidIdentifierException>(() => new EntityTarget("qa", EntityCatalog.Venture, "V1"));
        Assert.Throws<UnknownEntityException>(() => EntityTarget.Of("prod", "ventures", "V1"));
    }
}
