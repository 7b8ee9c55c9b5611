using System.Text.Json.Nodes;

namespace EccoStudio.Storage.Analytics;

/// <summary>
/// JSON Schema (our draft 2020-12 subset) → BigQuery columns (docs/analytics.md, "Types"): <c>string</c> → STRING,
/// with <c>format: date-time</c> → TIMESTAMP and <c>date</c> → DATE (other formats stay STRING); <c>integer</c> →
/// INT64; <c>number</c> → FLOAT64; <c>boolean</c> → BOOL; an object with <c>properties</c> → STRUCT (RECORD); an
/// array → ARRAY of its item type (REPEATED); <c>enum</c>/<c>const</c> of strings → STRING. What BigQuery cannot
/// type — maps (<c>additionalProperties</c> only), arrays of arrays, untyped or mixed values — is JSON.
/// </summary>
public static class BigQuerySchemaMapper
{
    /// <summary>The envelope every stored document carries (spec §3.2; several schemas leave it to the envelope check).</summary>
    public static IReadOnlyList<BigQueryColumn> Envelope { get; } =
    [
        new("id", "STRING"), new("entity", "STRING"), new("env", "STRING"), new("schema_version", "STRING"),
        new("created_at", "TIMESTAMP"), new("updated_at", "TIMESTAMP"),
    ];

    /// <summary>A document's columns: the envelope first, then the schema's own properties.</summary>
    public static IReadOnlyList<BigQueryColumn> EntityColumns(JsonObject schema) =>
        [.. Envelope, .. Columns(schema).Where(c => Envelope.All(e => e.Name != c.Name))];

    /// <summary>The columns of an object schema's <c>properties</c>, in order.</summary>
    public static IReadOnlyList<BigQueryColumn> Columns(JsonObject schema) =>
        schema["properties"] is JsonObject properties
            ? [.. properties.Select(p => new BigQueryColumn(p.Key, TypeOf(p.Value as JsonObject)))]
            : [];

    public static string TypeOf(JsonObject? schema)
    {
        if (schema is null)
        {
            return "JSON";
        }

        var type = SingleType(schema["type"]);
        if (type is null)
        {
            var values = schema["enum"] is JsonArray e ? e.ToList() : schema["const"] is { } c ? [c] : null;
            return values is not null && values.All(v => v is JsonValue value && value.TryGetValue<string>(out _)) ? "STRING" : "JSON";
        }

        return type switch
        {
            "string" => (schema["format"] as JsonValue)?.GetValue<string>() switch
            {
                "date-time" => "TIMESTAMP",
                "date" => "DATE",
                _ => "STRING",
            },
            "integer" => "INT64",
            "number" => "FLOAT64",
            "boolean" => "BOOL",
            "object" when schema["properties"] is JsonObject { Count: > 0 } => $"STRUCT<{string.Join(", ", Columns(schema).Select(c => $"{Quote(c.Name)} {c.Type}"))}>",
            "array" => TypeOf(schema["items"] as JsonObject) is var item && !item.StartsWith("ARRAY", StringComparison.Ordinal) && item != "JSON" ? $"ARRAY<{item}>" : "JSON",
            _ => "JSON",
        };
    }

    /// <summary>A column name as BigQuery DDL writes it (backquoted: names such as <c>MRR</c> or <c>type</c> need no special casing).</summary>
    public static string Quote(string name) => $"`{name.Replace("`", string.Empty, StringComparison.Ordinal)}`";

    /// <summary>The one non-null type of <c>type</c> (a string, or an array such as <c>["string","null"]</c>); null when absent or mixed.</summary>
    private static string? SingleType(JsonNode? type) => type switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonArray a when a.Select(t => t?.GetValue<string>()).Where(t => t != "null").ToList() is [var only] => only,
        _ => null,
    };
}
