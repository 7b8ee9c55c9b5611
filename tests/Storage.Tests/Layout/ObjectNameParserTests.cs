using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Layout;

namespace EccoStudio.Storage.Tests.Layout;

public class ObjectNameParserTests
{
    [Fact]
    public void TryParse_HistoryName_YieldsTargetTimestampAndUlid()
    {
        var ulid = Ulid.NewUlid();
        var target = new EntityTarget("prod", EntityCatalog.CapTable, "CT-V001");
        var at = new DateTimeOffset(2025, 11, 6, 10, 18, 22, TimeSpan.Zero);
        var parsed = ObjectNameParser.TryParse(ObjectPaths.History(target, new HistoryKey(at, ulid)));
        Assert.NotNull(parsed);
        Assert.Equal(ObjectCategory.History, parsed.Category);
        Assert.Equal(target, parsed.Target);
        Assert.Equal(at, parsed.HistoryTimestamp);
        Assert.Equal(ulid, parsed.HistoryUlid);
    }

    [Theory]
    [InlineData("env/prod/snapshots/ventures/V001.json", ObjectCategory.Snapshot, "venture", "V001")]
    [InlineData("env/dev/manifests/talent/_index.ndjson", ObjectCategory.ManifestIndex, "talent", null)]
    [InlineData("env/dev/manifests/talent/entries/T1.json", ObjectCategory.ManifestEntry, "talent", "T1")]
    [InlineData("env/dev/manifests/talent/shards/C9/0000.ndjson", ObjectCategory.ManifestShard, "talent", null)]
    [InlineData("env/dev/manifests/talent/changes/2026-12-02T16:24:20.1234567Z_T 1_x.json", ObjectCategory.ManifestChange, "talent", "T 1_x")]
    [InlineData("env/prod/indices/ventures/by-status/Pilot/V001.json", ObjectCategory.IndexPointer, "venture", "V001")]
    [InlineData("env/prod/indices/cap_tables/by-venture/V001.json", ObjectCategory.IndexPointer, "cap_table", null)]
    [InlineData("env/prod/schemas/cap_table/v1.0.0.schema.json", ObjectCategory.Schema, "cap_table", null)]
    [InlineData("env/prod/logs/alerts/a.json", ObjectCategory.Log, null, null)]
    [InlineData("env/prod/tmp/x", ObjectCategory.Tmp, null, null)]
    public void TryParse_LayoutNames_Recognised(string name, ObjectCategory category, string? entity, string? id)
    {
        var parsed = ObjectNameParser.TryParse(name);
        Assert.NotNull(parsed);
        Assert.Equal(category, parsed.Category);
        Assert.Equal(entity, parsed.Kind?.Name);
        Assert.Equal(id, parsed.Id);
    }

    [Fact]
    public void TryParse_IndexPointer_YieldsIndexAndKey()
    {
        var parsed = ObjectNameParser.TryParse("env/prod/indices/talent/by-skill/rust/T1.json")!;
        Assert.Equal("by-skill", parsed.IndexName);
        Assert.Equal("rust", parsed.IndexKey);
        Assert.Equal(SchemaVersion.V1, ObjectNameParser.TryParse("env/prod/schemas/idea/v1.0.0.schema.json")!.SchemaVersion);
    }

    [Theory]
    [InlineData("")]
    [InlineData("foo/bar.json")]
    [InlineData("env/qa/snapshots/ventures/V1.json")]
    [InlineData("env/prod/snapshots/unknown/V1.json")]
    [InlineData("env/prod/snapshots/ventures/V1.txt")]
    [InlineData("env/prod/ventures/V1/history/2025/11/07/2025-11-06T10:18:22Z_01HFB9ZK3Q7W8X9Y0ABCDEFGHJ.json")]
    [InlineData("env/prod/ventures/V1/history/2025/11/06/2025-11-06T10:18:22Z_notaulid.json")]
    [InlineData("env/prod/ventures/../history/2025/11/06/2025-11-06T10:18:22Z_01HFB9ZK3Q7W8X9Y0ABCDEFGHJ.json")]
    public void TryParse_ForeignOrMalformed_ReturnsNull(string name) => Assert.Null(ObjectNameParser.TryParse(name));
}
