using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Consistency;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Migrations;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using EccoStudio.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EccoStudio.Storage.Tests.Migrations;

/// <summary>
/// Migration at the storage level against the emulator: data written before venture 1.1.0 existed (a context without
/// migrations: the old fold) is found behind by the checker, brought to 1.1.0 entity by entity with history untouched,
/// manifest entries and pointers following; writes in either version on the new fold; the target checks.
/// </summary>
public sealed class SnapshotMigratorTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    private static readonly IndexCatalog Indices = IndexCatalog.Load(Path.Combine(TestData.SchemasFolder, "indices.json"));
    private static readonly SchemaMigrations Migrations = SchemaMigrations.Load(TestData.SchemasFolder);
    private static readonly SchemaVersion V110 = SchemaVersion.Parse("1.1.0");

    private async Task<(StorageContext Old, StorageContext New, string Bucket)> ContextsAsync()
    {
        var bucket = await emulator.CreateBucketAsync(versioning: true, prefix: "mig");
        var store = new GcsObjectStore(emulator.CreateClient(), new ObjectStoreOptions(), new StorageOperationCounter(), NullLogger<GcsObjectStore>.Instance);
        var old = new StorageContext(store, new ObjectPaths(new StorageLayoutOptions { BucketName = bucket }), EntitySchemaRegistry.FromFolder(TestData.SchemasFolder), Indices);
        return (old, old with { Migrations = Migrations }, bucket);
    }

    private static EntityTarget Venture(string id) => new("dev", EntityCatalog.Venture, id);

    private static JsonObject V100(string id, string name, string lead = "Bob", string updatedAt = "2025-11-01T00:00:00Z") => JsonText.ParseObject($$"""
        {"id":"{{id}}","entity":"venture","env":"dev","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z","updated_at":"{{updatedAt}}",
         "name":"{{name}}","lead":"{{lead}}","status":"Pilot","milestones":[]}
        """);

    /// <summary>Three ventures as the 1.0.0-only deployment wrote them (one patched), plus a deleted one.</summary>
    private static async Task SeedOldAsync(StorageContext old)
    {
        var pipeline = new EntityWritePipeline(old);
        foreach (var id in new[] { "V1", "V2", "V3", "V4" })
        {
            await pipeline.WriteAsync(Venture(id), V100(id, "Venture " + id), Ulid.NewUlid());
        }

        await pipeline.WriteAsync(Venture("V2"), JsonText.ParseObject("""{"updated_at":"2025-11-02T00:00:00Z","name":"Renamed","status":"Build"}"""), Ulid.NewUlid(),
            ChangeKind.MergePatch);
    }

    private static async Task<List<string>> HistoryFingerprintAsync(StorageContext context, string bucket) =>
        [.. (await context.Store.ListAllAsync(bucket, "env/dev/ventures/")).Select(o => $"{o.Name}#{o.Generation}")];

    [Fact]
    public async Task MigrateAsync_OldData_SnapshotsAt110HistoryUntouchedEntriesAndPointersFollowVerifyClean()
    {
        var (old, context, bucket) = await ContextsAsync();
        await SeedOldAsync(old);
        var history = await HistoryFingerprintAsync(context, bucket);
        var checker = new ConsistencyChecker(context);
        var before = await checker.CheckAsync("dev", [EntityCatalog.Venture]);
        Assert.Equal(4, before.DriftedEntities.Count);
        Assert.Contains("run migrate --entity venture --to 1.1.0", before.Summary(), StringComparison.Ordinal);

        var migrator = new SnapshotMigrator(context);
        var (ids, next) = await migrator.ListPageAsync("dev", EntityCatalog.Venture, null, 10);
        Assert.Equal(["V1", "V2", "V3", "V4"], ids);
        Assert.Null(next);
        var results = new List<EntityMigrationResult>();
        foreach (var id in ids)
        {
            results.Add(await migrator.MigrateAsync(Venture(id), V110));
        }

        Assert.All(results, r => Assert.Equal(EntityMigrationOutcome.Migrated, r.Outcome));
        Assert.All(results, r => Assert.Equal("1.0.0", r.From));
        Assert.Equal(history, await HistoryFingerprintAsync(context, bucket));
        var v2 = (await new EntityReader(context).GetSnapshotAsync(Venture("V2")))!.Document;
        Assert.Equal("1.1.0", v2["schema_version"]!.GetValue<string>());
        Assert.Equal("Renamed", v2["title"]!.GetValue<string>());
        Assert.Equal("USD", v2["reportingCurrency"]!.GetValue<string>());
        Assert.False(v2.ContainsKey("name"));
        var entry = JsonText.ParseObject((await context.Store.GetAsync(bucket, ObjectPaths.ManifestEntry(Venture("V2"))))!.Content.Span);
        Assert.Equal("Renamed", entry["title"]!.GetValue<string>());
        Assert.False(entry.ContainsKey("name"));
        var pointer = JsonText.ParseObject((await context.Store.GetAsync(bucket, "env/dev/indices/ventures/by-lead/Bob/V2.json"))!.Content.Span);
        Assert.Equal("Renamed", pointer["title"]!.GetValue<string>());
        Assert.False(pointer.ContainsKey("name"));
        var after = await checker.CheckAsync("dev", [EntityCatalog.Venture]);
        Assert.True(after.IsConsistent, after.Summary());

        // Idempotent: a second pass finds everything at the target and writes nothing.
        var again = await migrator.MigrateAsync(Venture("V2"), V110);
        Assert.Equal(EntityMigrationOutcome.AlreadyCurrent, again.Outcome);
        Assert.Equal(0, again.Writes);
    }

    [Fact]
    public async Task MigrateAsync_LaterWriteOfTheOldFold_FoldedInNotLost()
    {
        var (old, context, bucket) = await ContextsAsync();
        await SeedOldAsync(old);
        // A host still on the 1.0.0-only deployment writes V3 again during the rollout (history appended, snapshot moved
        // by the old fold): the migration folds every record, the newer one included.
        await new EntityWritePipeline(old).WriteAsync(Venture("V3"), JsonText.ParseObject("""{"updated_at":"2025-11-05T00:00:00Z","status":"Scale"}"""), Ulid.NewUlid(),
            ChangeKind.MergePatch);

        var result = await new SnapshotMigrator(context).MigrateAsync(Venture("V3"), V110);

        Assert.Equal(EntityMigrationOutcome.Migrated, result.Outcome);
        var v3 = (await new EntityReader(context).GetSnapshotAsync(Venture("V3")))!.Document;
        Assert.Equal("Scale", v3["status"]!.GetValue<string>());
        Assert.Equal("Venture V3", v3["title"]!.GetValue<string>());
        var report = await new ConsistencyChecker(context).CheckAsync("dev", [EntityCatalog.Venture]);
        Assert.DoesNotContain(Venture("V3"), report.DriftedEntities);
        Assert.Equal(6, (await context.Store.ListAllAsync(bucket, "env/dev/ventures/")).Count);
    }

    [Fact]
    public async Task Write_BothVersionsOnTheNewFold_StoredAsSentSnapshotsAtLatest()
    {
        var (old, context, bucket) = await ContextsAsync();
        await SeedOldAsync(old);
        var pipeline = new EntityWritePipeline(context);

        // 1.0.0 full document: history keeps it as sent; the snapshot is at 1.1.0.
        var written = await pipeline.WriteAsync(Venture("V5"), V100("V5", "Five", updatedAt: "2025-11-03T00:00:00Z"), Ulid.NewUlid());
        var stored = Encoding.UTF8.GetString((await context.Store.GetAsync(bucket, written.HistoryObject))!.Content.Span);
        Assert.Contains("\"schema_version\":\"1.0.0\"", stored, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"Five\"", stored, StringComparison.Ordinal);
        Assert.Equal("Five", written.Snapshot.After["title"]!.GetValue<string>());

        // 1.1.0 full document.
        var v6 = JsonText.ParseObject("""
            {"id":"V6","entity":"venture","env":"dev","schema_version":"v1.1.0","created_at":"2025-11-01T00:00:00Z","updated_at":"2025-11-03T00:00:00Z",
             "title":"Six","lead":"Ann","status":"Idea","reportingCurrency":"EUR"}
            """);
        Assert.Equal("Six", (await pipeline.WriteAsync(Venture("V6"), v6, Ulid.NewUlid())).Snapshot.After["title"]!.GetValue<string>());

        // A version-less old-style patch on a snapshot not migrated yet: the snapshot is rebuilt at 1.1.0 with it.
        var patched = await pipeline.WriteAsync(Venture("V1"), JsonText.ParseObject("""{"updated_at":"2025-11-04T00:00:00Z","name":"One"}"""), Ulid.NewUlid(),
            ChangeKind.MergePatch);
        Assert.Equal("One", patched.Snapshot.After["title"]!.GetValue<string>());
        Assert.Equal("1.1.0", patched.Snapshot.After["schema_version"]!.GetValue<string>());

        // A new-style patch naming 1.1.0.
        var euro = await pipeline.WriteAsync(Venture("V1"), JsonText.ParseObject("""{"updated_at":"2025-11-05T00:00:00Z","schema_version":"1.1.0","reportingCurrency":"EUR"}"""),
            Ulid.NewUlid(), ChangeKind.MergePatch);
        Assert.Equal("EUR", euro.Snapshot.After["reportingCurrency"]!.GetValue<string>());
        Assert.Equal("One", euro.Snapshot.After["title"]!.GetValue<string>());

        var report = await new ConsistencyChecker(context).CheckAsync("dev", [EntityCatalog.Venture]);
        Assert.Equal(["dev/venture/V2", "dev/venture/V3", "dev/venture/V4"], report.DriftedEntities.Select(t => t.ToString()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{"schema_version":"1.1.0","title":"T","lead":"Bob","status":"Pilot"}""", typeof(SchemaViolationException))] // reportingCurrency required in 1.1.0
    [InlineData("""{"schema_version":"1.0.5","name":"T","lead":"Bob","status":"Pilot"}""", typeof(UnknownSchemaVersionException))]
    [InlineData("""{"schema_version":"1.0.0","name":"T","lead":"Bob","status":"Pilot","reportingCurrency":"JPY"}""", typeof(SchemaViolationException))] // migrated: invalid at 1.1.0
    public async Task Write_InvalidInEitherVersion_RefusedNothingWritten(string body, Type expected)
    {
        var (_, context, bucket) = await ContextsAsync();
        var document = JsonText.ParseObject(body);
        foreach (var (name, value) in new Dictionary<string, string>
                 { ["id"] = "V9", ["entity"] = "venture", ["env"] = "dev", ["created_at"] = "2025-11-01T00:00:00Z", ["updated_at"] = "2025-11-01T00:00:00Z" })
        {
            document[name] = value;
        }

        var e = await Assert.ThrowsAnyAsync<StorageModelException>(() => new EntityWritePipeline(context).WriteAsync(Venture("V9"), document, Ulid.NewUlid()));

        Assert.IsType(expected, e);
        Assert.Empty(await context.Store.ListAllAsync(bucket, ""));
    }

    [Fact]
    public async Task CheckTargetAsync_OlderUnknownOrNotLatest_RefusedLatestAndSingleVersionAccepted()
    {
        var (_, context, _) = await ContextsAsync();
        var migrator = new SnapshotMigrator(context);

        Assert.Equal("venture: 1.0.0 → 1.1.0", (await migrator.CheckTargetAsync("dev", EntityCatalog.Venture, V110)).ToString());
        Assert.True((await migrator.CheckTargetAsync("dev", EntityCatalog.Idea, SchemaVersion.V1)).IsEmpty);
        var older = await Assert.ThrowsAsync<MigrationTargetException>(() => migrator.CheckTargetAsync("dev", EntityCatalog.Venture, SchemaVersion.V1));
        Assert.Contains("older than venture's current version 1.1.0", older.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<UnknownSchemaVersionException>(() => migrator.CheckTargetAsync("dev", EntityCatalog.Venture, SchemaVersion.Parse("9.9.9")));
        await Assert.ThrowsAsync<UnknownSchemaVersionException>(() => migrator.CheckTargetAsync("dev", EntityCatalog.Idea, V110));
        await Assert.ThrowsAsync<EccoStudio.Storage.Naming.InvalidIdentifierException>(() => migrator.CheckTargetAsync("qa", EntityCatalog.Venture, V110));
    }

    [Fact]
    public async Task Publish_ChangedTextUnderPublishedVenture110_RefusedNothingWritten()
    {
        var (_, context, bucket) = await ContextsAsync();
        var folder = Path.Combine(Path.GetTempPath(), "ecco-pub-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(folder, "venture"));
        try
        {
            foreach (var file in Directory.GetFiles(Path.Combine(TestData.SchemasFolder, "venture"), "v*.schema.json"))
            {
                File.Copy(file, Path.Combine(folder, "venture", Path.GetFileName(file)));
            }

            var publisher = new SchemaPublisher(context.Store, context.Paths);
            Assert.Equal(["env/dev/schemas/venture/v1.0.0.schema.json", "env/dev/schemas/venture/v1.1.0.schema.json"], await publisher.PublishAsync("dev", folder));
            var published = (await context.Store.ListAllAsync(bucket, "env/dev/schemas/")).Select(o => $"{o.Name}#{o.Generation}").ToList();
            var changed = Path.Combine(folder, "venture", "v1.1.0.schema.json");
            await File.WriteAllTextAsync(changed, (await File.ReadAllTextAsync(changed)).Replace("\"CHF\"", "\"CHF\", \"JPY\"", StringComparison.Ordinal));

            var e = await Assert.ThrowsAsync<SchemaConflictException>(() => publisher.PublishAsync("dev", folder));

            Assert.Equal("env/dev/schemas/venture/v1.1.0.schema.json", e.ObjectName);
            Assert.Contains("bump the version", e.Message, StringComparison.Ordinal);
            Assert.Equal(published, (await context.Store.ListAllAsync(bucket, "env/dev/schemas/")).Select(o => $"{o.Name}#{o.Generation}").ToList());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
