using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;

namespace EccoStudio.Testing.Samples;

/// <summary>
/// A document of any entity kind built from its JSON Schema: every property the schema declares, required or not,
/// nested objects and arrays included, gets a value the schema accepts (const, first enum value, a string fitting
/// format, pattern and length, a number within bounds, one array item, one map entry). So a test over all 19 kinds
/// exercises every column the schema gives BigQuery (docs/analytics.md) without a hand-written fixture per kind that
/// would go stale when a schema changes. A constraint it cannot satisfy (a new pattern, say) throws naming the
/// schema path, so the generator is extended rather than the document silently thinned.
/// </summary>
public static class SchemaSamples
{
    public static readonly DateTimeOffset At = new(2025, 11, 2, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Strings tried, in order, for a property with a <c>pattern</c> (or <c>not.pattern</c>).</summary>
    private static readonly string[] PatternCandidates = ["sample", "sample-1", "1.0.0", "2025-Q4", "2025-11", "S1"];

    /// <summary>The document, envelope members set for <paramref name="kind"/> / <paramref name="env"/> / <paramref name="id"/>.</summary>
    public static JsonObject Document(EntityKind kind, SchemaVersion version, JsonObject schema, string env, string id)
    {
        var document = (JsonObject)Value(schema, "#");
        document["id"] = id;
        document["entity"] = kind.Name;
        document["env"] = env;
        document["schema_version"] = version.ToString();
        document["created_at"] = Rfc3339.Format(At);
        document["updated_at"] = Rfc3339.Format(At);
        return document;
    }

    /// <summary>A value valid against <paramref name="schema"/>; <paramref name="path"/> names it in errors and in sample strings.</summary>
    public static JsonNode Value(JsonObject schema, string path)
    {
        if (schema["const"] is { } constant)
        {
            return constant.DeepClone();
        }

        if (schema["enum"] is JsonArray choices)
        {
            return choices.First(c => c is not null)!.DeepClone();
        }

        return TypeOf(schema) switch
        {
            "object" => ObjectValue(schema, path),
            "array" => ArrayValue(schema, path),
            "string" => StringValue(schema, path),
            "integer" => JsonValue.Create((long)Number(schema, 3, path)),
            "number" => JsonValue.Create(Number(schema, 1.5, path)),
            "boolean" => JsonValue.Create(true),
            var other => throw new NotSupportedException($"{path}: no sample for type '{other}'"),
        };
    }

    /// <summary>
    /// A copy of <paramref name="document"/> above <paramref name="minBytes"/> when stored: the first top-level string
    /// without limits, or else the first unbounded array, or else the first free-form object, that is not an index key
    /// (a key is a short identifier) is lengthened. Null when the schema has none of these.
    /// </summary>
    public static JsonObject? Large(JsonObject document, JsonObject schema, IReadOnlySet<string> indexKeyPointers, int minBytes)
    {
        var properties = schema["properties"] as JsonObject ?? [];
        bool Free(string name) => !indexKeyPointers.Contains("/" + name) && name is not ("id" or "entity" or "env" or "schema_version");
        var large = JsonText.Clone(document);
        foreach (var (name, node) in properties)
        {
            if (node is JsonObject property && Free(name) && TypeOf(property) == "string"
                && !property.ContainsKey("maxLength") && !property.ContainsKey("pattern") && !property.ContainsKey("format")
                && !property.ContainsKey("enum") && !property.ContainsKey("const") && !property.ContainsKey("not"))
            {
                large[name] = string.Concat(Enumerable.Range(0, (minBytes / 10) + 1).Select(i => $"{name[0]}{i:D8} "));
                return large;
            }
        }

        foreach (var (name, node) in properties)
        {
            if (node is JsonObject property && Free(name) && TypeOf(property) == "array" && !property.ContainsKey("maxItems") && large[name] is JsonArray { Count: > 0 } items)
            {
                var item = JsonText.ToBytes(items[0]).Length + 1;
                large[name] = new JsonArray([.. Enumerable.Range(0, (minBytes / item) + 1).Select(_ => items[0]!.DeepClone())]);
                return large;
            }
        }

        foreach (var (name, node) in properties)
        {
            if (node is JsonObject property && Free(name) && TypeOf(property) == "object" && !property.ContainsKey("properties") && property["additionalProperties"] is null)
            {
                // A free-form object (a JSON column): many members.
                large[name] = new JsonObject(Enumerable.Range(0, (minBytes / 8) + 1).Select(i => KeyValuePair.Create($"k{i:D6}", (JsonNode?)JsonValue.Create(i * 0.5))));
                return large;
            }
        }

        return null;
    }

    private static string TypeOf(JsonObject schema) => schema["type"] switch
    {
        JsonValue single => single.GetValue<string>(),
        JsonArray several => several.Select(t => t!.GetValue<string>()).First(t => t != "null"),
        _ when schema.ContainsKey("properties") || schema.ContainsKey("additionalProperties") => "object",
        _ when schema.ContainsKey("items") => "array",
        _ => "string", // an untyped value: any JSON is valid
    };

    private static JsonObject ObjectValue(JsonObject schema, string path)
    {
        var result = new JsonObject();
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
            {
                result[name] = Value(property!.AsObject(), $"{path}/{name}");
            }
        }
        else if (schema["additionalProperties"] is JsonObject values)
        {
            result["sample_key"] = Value(values, $"{path}/sample_key"); // a map: one entry
        }

        return result;
    }

    private static JsonArray ArrayValue(JsonObject schema, string path)
    {
        var count = Math.Max(1, schema["minItems"]?.GetValue<int>() ?? 0);
        return schema["items"] is JsonObject items
            ? new JsonArray([.. Enumerable.Range(0, count).Select(i => Value(items, $"{path}/{i}"))])
            : new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode)JsonValue.Create($"item-{i}"))]);
    }

    private static JsonValue StringValue(JsonObject schema, string path)
    {
        var min = schema["minLength"]?.GetValue<int>() ?? 0;
        var max = schema["maxLength"]?.GetValue<int>() ?? int.MaxValue;
        var text = schema["format"]?.GetValue<string>() switch
        {
            "date-time" => Rfc3339.Format(At),
            "date" => "2025-11-02",
            "uri" => "https://example.com/sample",
            "email" => "sample@example.com",
            null => null,
            var format => throw new NotSupportedException($"{path}: no sample for format '{format}'"),
        };
        var pattern = schema["pattern"]?.GetValue<string>();
        var notPattern = (schema["not"] as JsonObject)?["pattern"]?.GetValue<string>();
        if (text is null && (pattern is not null || notPattern is not null))
        {
            text = PatternCandidates.FirstOrDefault(c => Fits(c, pattern, notPattern, min, max))
                ?? throw new NotSupportedException($"{path}: no sample matches pattern '{pattern}' (not '{notPattern}'); add one to PatternCandidates");
        }

        // A readable value naming its place, which is also a valid index key (no spaces, no slashes).
        text ??= "sample-" + string.Join('-', path.Split('/').Skip(1).Where(s => !int.TryParse(s, out _)));
        if (text.Length > max)
        {
            text = text[..max];
        }

        return JsonValue.Create(text.PadRight(min, 'x'));
    }

    private static bool Fits(string candidate, string? pattern, string? notPattern, int min, int max) =>
        candidate.Length >= min && candidate.Length <= max
        && (pattern is null || Regex.IsMatch(candidate, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        && (notPattern is null || !Regex.IsMatch(candidate, notPattern, RegexOptions.None, TimeSpan.FromSeconds(1)));

    private static double Number(JsonObject schema, double preferred, string path)
    {
        double? Get(string keyword) => schema[keyword] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;
        var low = Get("minimum") ?? (Get("exclusiveMinimum") is { } el ? el + 1 : null);
        var high = Get("maximum") ?? (Get("exclusiveMaximum") is { } eh ? eh - 1 : null);
        var value = (low ?? 0) + preferred;
        if (high is { } h && value > h)
        {
            value = low is { } lo ? (lo + h) / 2 : h;
        }

        return low is { } bound && value < bound
            ? throw new NotSupportedException($"{path}: no sample within [{low}, {high}]")
            : value;
    }
}
