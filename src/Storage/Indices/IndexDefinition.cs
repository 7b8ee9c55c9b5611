using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Naming;
using Json.Pointer;

namespace EccoStudio.Storage.Indices;

/// <summary>
/// One secondary index (declared in <c>schemas/indices.json</c>). The key comes from JSON pointer(s) (several
/// pointers are joined with <c>~</c>), from an array (<c>each</c>: one key per element), or from a named derivation
/// (<c>next-due</c>: yyyy-mm of the earliest milestone dueDate whose status is not Done).
/// </summary>
public sealed record IndexDefinition(EntityKind Kind, string Name, IndexMode Mode, IReadOnlyList<string> KeyPointers, bool Each, string? Derive)
{
    public IReadOnlyDictionary<string, string> Display { get; init; } = new Dictionary<string, string>();

    /// <summary>Single mode: pointers compared (in order) to decide which entity is the latest.</summary>
    public IReadOnlyList<string> Latest { get; init; } = ["/updated_at"];

    /// <summary>The key(s) this document has for this index (validated; none when the source is absent).</summary>
    public IReadOnlySet<string> Keys(JsonObject document)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        if (Derive == "next-due")
        {
            var due = NextDue(Resolve(document, KeyPointers[0]));
            if (due is not null)
            {
                keys.Add(due);
            }
        }
        else if (Each)
        {
            if (Resolve(document, KeyPointers[0]) is JsonArray array)
            {
                foreach (var item in array)
                {
                    if (Scalar(item) is { } k)
                    {
                        keys.Add(Identifiers.ValidateIndexKey(k));
                    }
                }
            }
        }
        else
        {
            var parts = KeyPointers.Select(p => Scalar(Resolve(document, p))).ToList();
            if (parts.All(p => p is not null))
            {
                keys.Add(Identifiers.ValidateIndexKey(string.Join('~', parts)));
            }
        }

        return keys;
    }

    public JsonObject DisplayFields(JsonObject document)
    {
        var fields = new JsonObject();
        foreach (var (name, pointer) in Display.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (Resolve(document, pointer) is { } value)
            {
                fields[name] = value.DeepClone();
            }
        }

        return fields;
    }

    public static JsonNode? Resolve(JsonNode? document, string path)
    {
        if (document is null)
        {
            return null;
        }

        var parsed = JsonPointer.Parse(path);
        return parsed.TryEvaluate(document, out var result) ? result : null;
    }

    internal static string? Scalar(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => null,
    };

    private static string? NextDue(JsonNode? milestones)
    {
        if (milestones is not JsonArray array)
        {
            return null;
        }

        string? earliest = null;
        foreach (var m in array.OfType<JsonObject>())
        {
            var status = Scalar(m["status"]);
            var due = Scalar(m["dueDate"]);
            if (due is null || due.Length < 7 || string.Equals(status, "Done", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (earliest is null || string.CompareOrdinal(due, earliest) < 0)
            {
                earliest = due;
            }
        }

        return earliest?[..7];
    }
}
