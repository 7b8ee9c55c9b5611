using System.Text;
using System.Text.Json.Nodes;

namespace EccoStudio.Reliability.Tests.Support;

/// <summary>
/// The HTTP half of the reliability bad-input corpus (tests/Host.Tests has another 92 requests; these do not repeat
/// them): wrong types for every schema-required field of a venture and a cap table (holder fields included), unicode
/// confusables and NUL bytes in ids, double-encoded traversal, 10 MB bodies, 100,000-deep nesting.
/// Seeded entities: venture SEED1 and cap table CT1 (so PATCH cases reach schema validation).
/// </summary>
public static class HttpCorpus
{
    public const string Venture = "api/dev/ventures/";
    public const string CapTables = "api/dev/cap_tables/";

    public static JsonObject ValidVenture(string id) => new()
    {
        ["id"] = id, ["entity"] = "venture", ["env"] = "dev", ["schema_version"] = "1.0.0",
        ["created_at"] = "2025-11-01T00:00:00Z", ["updated_at"] = "2025-11-06T10:00:00Z", ["status"] = "Pilot", ["lead"] = "Bob",
    };

    public static JsonObject ValidCapTable(string id) => new()
    {
        ["id"] = id, ["entity"] = "cap_table", ["env"] = "dev", ["schema_version"] = "1.0.0",
        ["created_at"] = "2025-11-01T00:00:00Z", ["updated_at"] = "2025-11-06T10:00:00Z", ["ventureId"] = "SEED1", ["asOf"] = "2025-11-01",
        ["holders"] = new JsonArray(new JsonObject
        {
            ["holderId"] = "H1", ["name"] = "Founder", ["security"] = "COMMON", ["quantity"] = 1000, ["pctFullyDiluted"] = 0.6,
        }),
    };

    public static IReadOnlyDictionary<string, BadInputCase> All { get; } = Build().ToDictionary(c => c.Name, StringComparer.Ordinal);

    private static IEnumerable<BadInputCase> Build()
    {
        JsonNode?[] notString = [42, true, new JsonArray("x"), new JsonObject { ["a"] = 1 }, null];
        foreach (var field in new[] { "id", "entity", "env", "schema_version", "created_at", "updated_at", "status" })
        {
            foreach (var value in notString)
            {
                var doc = ValidVenture("BAD1");
                doc[field] = value?.DeepClone();
                yield return Put($"venture {field} = {Describe(value)}", Venture + "BAD1", doc);
            }
        }

        JsonNode?[] notStringShort = [42, false, new JsonObject()];
        foreach (var field in new[] { "id", "entity", "env", "schema_version", "created_at", "updated_at", "ventureId", "asOf" })
        {
            foreach (var value in notStringShort)
            {
                var doc = ValidCapTable("CTBAD");
                doc[field] = value?.DeepClone();
                yield return Put($"cap_table {field} = {Describe(value)}", CapTables + "CTBAD", doc);
            }
        }

        foreach (var value in new JsonNode?[] { "holders", 42, new JsonObject(), null })
        {
            var doc = ValidCapTable("CTBAD");
            doc["holders"] = value?.DeepClone();
            yield return Put($"cap_table holders = {Describe(value)}", CapTables + "CTBAD", doc);
        }

        var holderWrong = new Dictionary<string, JsonNode?[]>
        {
            ["holderId"] = [42, true, new JsonArray()],
            ["name"] = [42, new JsonObject(), null],
            ["security"] = [42, "common", new JsonArray("COMMON")],
            ["quantity"] = ["1000", true, -1],
            ["pctFullyDiluted"] = ["0.6", new JsonArray(), 1.5],
        };
        foreach (var (field, values) in holderWrong)
        {
            foreach (var value in values)
            {
                var doc = ValidCapTable("CTBAD");
                doc["holders"]![0]![field] = value?.DeepClone();
                yield return Put($"cap_table holder {field} = {Describe(value)}", CapTables + "CTBAD", doc);
            }

            var missing = ValidCapTable("CTBAD");
            missing["holders"]![0]!.AsObject().Remove(field);
            yield return Put($"cap_table holder without {field}", CapTables + "CTBAD", missing);
        }

        yield return Patch("patch venture status number", Venture + "SEED1", """{"status":42}""");
        yield return Patch("patch venture updated_at array", Venture + "SEED1", """{"updated_at":["2025-11-06T10:00:00Z"]}""");
        yield return Patch("patch venture remove status", Venture + "SEED1", """{"status":null}""");
        yield return Patch("patch cap_table holders object", CapTables + "CT1", """{"holders":{"H1":1}}""");
        yield return Patch("patch cap_table remove ventureId", CapTables + "CT1", """{"ventureId":null}""");

        // Unicode confusables and invisible characters in ids (all outside the id alphabet).
        foreach (var (label, id) in new[]
                 {
                     ("fullwidth solidus", "V001\uFF0F..\uFF0Fx"), ("division slash", "V001\u2215x"), ("fraction slash", "V001\u2044x"),
                     ("fullwidth dots", "\uFF0E\uFF0E"), ("one-dot leaders", "\u2024\u2024"), ("zero-width space", "V001\u200B"),
                     ("right-to-left override", "V\u202E100"), ("byte order mark", "\uFEFFV001"), ("combining acute", "V001\u0301"),
                     ("big reverse solidus", "V001\u29F5x"), ("non-breaking space", "V001\u00A0x"), ("ideographic space", "V001\u3000x"),
                 })
        {
            yield return Put($"confusable id: {label}", Venture + Uri.EscapeDataString(id), ValidVenture(id));
        }

        yield return Put("NUL in id", Venture + "V001%00x", ValidVenture("V001")) with { RejectedByServer = true };
        yield return Put("NUL as whole id", Venture + "%00", ValidVenture("V001")) with { RejectedByServer = true };
        yield return new BadInputCase("raw NUL byte in body", "PUT", Venture + "NUL1", [.. Encoding.UTF8.GetBytes("""{"status":"Pilot","lead":"B"""), 0, .. "\"}"u8.ToArray()]);
        yield return Put("NUL in id field of body", Venture + "NUL2", ValidVenture("NUL2\u0000"));
        yield return Put("double-encoded traversal", Venture + "..%252F..%252Fsnapshots", ValidVenture("x"));
        yield return Put("encoded dot-dot", Venture + "%2e%2e", ValidVenture(".."));
        yield return Put("traversal into snapshots", Venture + "..%2F..%2Fsnapshots%2Fventures%2FV001", ValidVenture("x"));
        yield return Put("traversal via backslash encoded", Venture + "..%5C..%5Cx", ValidVenture("x"));
        yield return new BadInputCase("traversal in history read", "GET", Venture + "..%2F..%2Fx/history", null, null);

        var tenMb = new string('a', 10 * 1024 * 1024);
        yield return new BadInputCase("10 MB PUT", "PUT", Venture + "BIG1", Encoding.UTF8.GetBytes($$"""{"status":"Pilot","lead":"{{tenMb}}"}"""));
        yield return new BadInputCase("10 MB PATCH", "PATCH", Venture + "SEED1", Encoding.UTF8.GetBytes($$"""{"lead":"{{tenMb}}"}"""), "application/merge-patch+json");
        yield return new BadInputCase("10 MB of whitespace", "PUT", Venture + "BIG2", Encoding.UTF8.GetBytes(new string(' ', 10 * 1024 * 1024) + "{}"));
        yield return new BadInputCase("100,000-deep arrays", "PUT", Venture + "DEEP1",
            Encoding.UTF8.GetBytes("""{"status":"Pilot","milestones":""" + new string('[', 100_000) + new string(']', 100_000) + "}"));
        yield return new BadInputCase("100,000-deep objects in patch", "PATCH", Venture + "SEED1",
            Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("""{"a":""", 100_000)) + "1" + new string('}', 100_000)), "application/merge-patch+json");
    }

    private static BadInputCase Put(string name, string path, JsonObject body) =>
        new(name, "PUT", path, Encoding.UTF8.GetBytes(body.ToJsonString()));

    private static BadInputCase Patch(string name, string path, string body) =>
        new(name, "PATCH", path, Encoding.UTF8.GetBytes(body), "application/merge-patch+json");

    private static string Describe(JsonNode? value) => value is null ? "null" : value.ToJsonString();
}
