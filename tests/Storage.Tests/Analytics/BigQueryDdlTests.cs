using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Analytics;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Rules;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using EccoStudio.Testing;
using EccoStudio.Testing.Samples;
using Microsoft.Extensions.Logging.Abstractions;

namespace EccoStudio.Storage.Tests.Analytics;

/// <summary>
/// The BigQuery DDL of every kind against golden files (<c>Analytics/Golden/{kind}.sql</c>; regenerate with
/// <c>ECCO_UPDATE_GOLDEN=1</c> and review the diff), and stored snapshots checked against the generated columns.
/// </summary>
public sealed class BigQueryDdlTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    public static TheoryData<string> Kinds => [.. EntityCatalog.All.Select(k => k.Name)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void For_EveryKind_MatchesGoldenFile(string kind)
    {
        var entityKind = EntityCatalog.Get(kind);
        var ddl = BigQueryDdl.For(entityKind, BigQueryDdl.FromFolder(TestData.SchemasFolder, entityKind), "dev", "ecco-analytics", "studio", "ecco-studio-platform-data");
        var golden = Path.Combine(AppContext.BaseDirectory, "Analytics", "Golden", kind + ".sql");
        if (Environment.GetEnvironmentVariable("ECCO_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(Path.GetDirectoryName(TestData.SchemasFolder)!, "tests", "Storage.Tests", "Analytics", "Golden", kind + ".sql"), ddl);
            return;
        }

        Assert.Equal(File.ReadAllText(golden), ddl);
    }

    [Fact]
    public void TypeOf_SchemaShapes_MapToBigQueryTypes()
    {
        static string T(string schema) => BigQuerySchemaMapper.TypeOf(JsonNode.Parse(schema)!.AsObject());

        Assert.Equal("TIMESTAMP", T("""{"type":"string","format":"date-time"}"""));
        Assert.Equal("DATE", T("""{"type":"string","format":"date"}"""));
        Assert.Equal("STRING", T("""{"type":"string","format":"uri"}"""));
        Assert.Equal("INT64", T("""{"type":"integer"}"""));
        Assert.Equal("FLOAT64", T("""{"type":["number","null"]}"""));
        Assert.Equal("BOOL", T("""{"type":"boolean"}"""));
        Assert.Equal("STRING", T("""{"enum":["a","b"]}"""));
        Assert.Equal("JSON", T("""{"enum":["a",1]}"""));
        Assert.Equal("STRUCT<`a` INT64, `b` ARRAY<STRING>>", T("""{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"array","items":{"type":"string"}}}}"""));
        Assert.Equal("JSON", T("""{"type":"object","additionalProperties":{"type":"number"}}"""));
        Assert.Equal("JSON", T("""{"type":"array","items":{"type":"array","items":{"type":"string"}}}"""));
        Assert.Equal("ARRAY<STRUCT<`x` DATE>>", T("""{"type":"array","items":{"type":"object","properties":{"x":{"type":"string","format":"date"}}}}"""));
    }

    [Theory]
    [MemberData(nameof(SpecExampleFiles))]
    public async Task StoredSnapshot_SpecExample_IsOneLineWhoseValuesFitTheColumns(string file)
    {
        var kind = TestData.SpecExamples.Single(e => e.File == file).Kind;
        var client = emulator.CreateClient();
        var bucket = emulator.NewBucketName("bq");
        await client.CreateBucketAsync(emulator.ProjectId, bucket);
        var store = new GcsObjectStore(client, new ObjectStoreOptions(), new StorageOperationCounter(), NullLogger<GcsObjectStore>.Instance);
        var context = new StorageContext(store, new ObjectPaths(new StorageLayoutOptions { BucketName = bucket }), EntitySchemaRegistry.FromFolder(TestData.SchemasFolder),
            IndexCatalog.Load(Path.Combine(TestData.SchemasFolder, "indices.json")));
        var document = TestData.Example(file);
        var target = new EntityTarget(document["env"]!.GetValue<string>(), kind, document["id"]!.GetValue<string>());
        await new EntityWritePipeline(context).WriteAsync(target, document, Ulid.NewUlid());

        var stored = Encoding.UTF8.GetString((await store.GetAsync(bucket, ObjectPaths.Snapshot(target)))!.Content.Span);

        Assert.DoesNotContain('\n', stored);
        var row = JsonNode.Parse(stored)!.AsObject();
        var columns = BigQuerySchemaMapper.EntityColumns(BigQueryDdl.FromFolder(TestData.SchemasFolder, kind)[^1].Schema).ToDictionary(c => c.Name, c => c.Type);
        foreach (var (name, value) in row)
        {
            Assert.True(columns.TryGetValue(name, out var type), $"{name} has no column");
            Assert.True(Fits(value, type), $"{name} = {value?.ToJsonString()} does not fit {type}");
        }
    }

    public static TheoryData<string> SpecExampleFiles => [.. TestData.SpecExamples.Select(e => e.File)];

    public static TheoryData<string, bool> KindsPlainAndGzip
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var kind in EntityCatalog.All)
            {
                data.Add(kind.Name, false);
                data.Add(kind.Name, true);
            }

            return data;
        }
    }

    /// <summary>
    /// Every kind, from a document filling every property its schema declares (<see cref="SchemaSamples"/>), written
    /// through the write path: the stored snapshot and history record are each one line, every member has a column and
    /// fits its type, and every column of the schema is present (so each column's type was checked against a value).
    /// The gzip variant lengthens a free text field or an array past the 64 KiB threshold: stored with
    /// <c>Content-Encoding: gzip</c>, it decodes to a row that fits the same way (docs/analytics.md, "gzip-stored objects").
    /// </summary>
    [Theory]
    [MemberData(nameof(KindsPlainAndGzip))]
    public async Task StoredSnapshot_EveryKind_IsOneLineWhoseValuesFitEveryColumn(string kind, bool gzip)
    {
        var entityKind = EntityCatalog.Get(kind);
        var (version, schema) = BigQueryDdl.FromFolder(TestData.SchemasFolder, entityKind)[^1];
        var (context, store, bucket) = await ContextAsync();
        var document = SchemaSamples.Document(entityKind, version, schema, "dev", $"{kind}-sample");
        if (entityKind == EntityCatalog.Rule)
        {
            // What a schema cannot say (RuleValidator): the webhook must be configured; the condition is the rule language.
            document["action"]!["webhook"] = "ops-hook";
            document["condition"] = JsonNode.Parse("""{"pointer":"/status","op":"eq","value":"Scale"}""");
        }

        if (gzip)
        {
            var keyPointers = context.Indices.For(entityKind).SelectMany(i => i.KeyPointers).ToHashSet(StringComparer.Ordinal);
            document = SchemaSamples.Large(document, schema, keyPointers, minBytes: 70 * 1024)
                ?? throw new InvalidOperationException($"{kind}: no free text field or unbounded array to enlarge");
        }

        var target = new EntityTarget("dev", entityKind, $"{kind}-sample");
        var written = await new EntityWritePipeline(context).WriteAsync(target, document, Ulid.NewUlid());

        var columns = BigQuerySchemaMapper.EntityColumns(schema).ToDictionary(c => c.Name, c => c.Type);
        var snapshot = (await store.GetAsync(bucket, ObjectPaths.Snapshot(target)))!;
        Assert.Equal(gzip ? "gzip" : null, snapshot.Info.ContentEncoding);
        AssertFits(Encoding.UTF8.GetString(snapshot.Content.Span), columns, requireEveryColumn: true);
        var history = (await store.GetAsync(bucket, written.HistoryObject))!;
        Assert.Equal(gzip ? "gzip" : null, history.Info.ContentEncoding);
        AssertFits(Encoding.UTF8.GetString(history.Content.Span), new Dictionary<string, string>(columns) { ["_change"] = "STRING", ["_compensates"] = "STRING" },
            requireEveryColumn: false);
    }

    private static void AssertFits(string stored, Dictionary<string, string> columns, bool requireEveryColumn)
    {
        Assert.DoesNotContain('\n', stored);
        Assert.DoesNotContain('\r', stored);
        var row = JsonNode.Parse(stored)!.AsObject();
        foreach (var (name, value) in row)
        {
            Assert.True(columns.TryGetValue(name, out var type), $"{name} has no column");
            Assert.True(Fits(value, type), $"{name} = {value?.ToJsonString()[..Math.Min(200, value.ToJsonString().Length)]} does not fit {type}");
        }

        if (requireEveryColumn)
        {
            Assert.Equal([], columns.Keys.Where(c => !row.ContainsKey(c)).ToArray()); // every column got a value
        }
    }

    private async Task<(StorageContext Context, GcsObjectStore Store, string Bucket)> ContextAsync()
    {
        var client = emulator.CreateClient();
        var bucket = emulator.NewBucketName("bq");
        await client.CreateBucketAsync(emulator.ProjectId, bucket);
        var store = new GcsObjectStore(client, new ObjectStoreOptions(), new StorageOperationCounter(), NullLogger<GcsObjectStore>.Instance);
        var context = new StorageContext(store, new ObjectPaths(new StorageLayoutOptions { BucketName = bucket }), EntitySchemaRegistry.FromFolder(TestData.SchemasFolder),
            IndexCatalog.Load(Path.Combine(TestData.SchemasFolder, "indices.json")))
        {
            Webhooks = new WebhookCatalog(new WebhookOptions { Webhooks = { ["ops-hook"] = "https://hooks.slack.com/services/T000/B000/not-a-real-secret" } }),
        };
        return (context, store, bucket);
    }

    /// <summary>Whether a JSON value is what BigQuery's JSON reader accepts for the column type.</summary>
    private static bool Fits(JsonNode? value, string type)
    {
        if (value is null || type == "JSON")
        {
            return true;
        }

        if (type.StartsWith("ARRAY<", StringComparison.Ordinal))
        {
            return value is JsonArray array && array.All(item => item is not null && Fits(item, type[6..^1]));
        }

        if (type.StartsWith("STRUCT<", StringComparison.Ordinal))
        {
            var fields = SplitFields(type[7..^1]);
            return value is JsonObject obj && obj.All(p => fields.TryGetValue(p.Key, out var t) && Fits(p.Value, t));
        }

        return (type, value) switch
        {
            ("STRING", JsonValue v) => v.TryGetValue<string>(out _),
            ("TIMESTAMP", JsonValue v) => v.TryGetValue<string>(out var s) && Storage.Envelope.Rfc3339.TryParseUtc(s, out _),
            ("DATE", JsonValue v) => v.TryGetValue<string>(out var d) && DateOnly.TryParseExact(d, "yyyy-MM-dd", out _),
            ("FLOAT64", JsonValue v) => v.TryGetValue<double>(out _),
            ("INT64", JsonValue v) => v.TryGetValue<long>(out _),
            ("BOOL", JsonValue v) => v.TryGetValue<bool>(out _),
            _ => false,
        };
    }

    /// <summary><c>`a` INT64, `b` STRUCT&lt;…&gt;</c> → name → type, splitting only at top-level commas.</summary>
    private static Dictionary<string, string> SplitFields(string body)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= body.Length; i++)
        {
            if (i == body.Length || (body[i] == ',' && depth == 0))
            {
                var field = body[start..i].Trim();
                var close = field.IndexOf('`', 1);
                result[field[1..close]] = field[(close + 1)..].Trim();
                start = i + 1;
            }
            else if (body[i] == '<')
            {
                depth++;
            }
            else if (body[i] == '>')
            {
                depth--;
            }
        }

        return result;
    }
}
