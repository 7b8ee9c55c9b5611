using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Indices;

namespace EccoStudio.Storage.Rules;

/// <summary>
/// Declarative conditions (no code): <c>{"all":[…]}</c>, <c>{"any":[…]}</c>, <c>{"not":{…}}</c>, or a comparison
/// <c>{"pointer":"/kpis/churnRate","op":"gt","value":0.05}</c> with op one of eq, ne, gt, gte, lt, lte, in, exists,
/// contains. Numbers compare numerically, strings ordinally; mismatched types are false (ne: true).
/// </summary>
public static class ConditionEvaluator
{
    public static bool Evaluate(JsonNode? condition, JsonObject snapshot, string ruleId)
    {
        if (condition is not JsonObject c)
        {
            throw new RuleFormatException(ruleId, "a condition must be an object");
        }

        if (c["all"] is JsonArray all)
        {
            return all.All(x => Evaluate(x, snapshot, ruleId));
        }

        if (c["any"] is JsonArray any)
        {
            return any.Any(x => Evaluate(x, snapshot, ruleId));
        }

        if (c.ContainsKey("not"))
        {
            return !Evaluate(c["not"], snapshot, ruleId);
        }

        var pointer = (c["pointer"] as JsonValue)?.GetValue<string>() ?? throw new RuleFormatException(ruleId, "comparison needs 'pointer'");
        var op = (c["op"] as JsonValue)?.GetValue<string>() ?? throw new RuleFormatException(ruleId, "comparison needs 'op'");
        JsonNode? actual;
        try
        {
            actual = IndexDefinition.Resolve(snapshot, pointer);
        }
        catch (Exception e) when (e is FormatException or global::Json.Pointer.PointerParseException)
        {
            throw new RuleFormatException(ruleId, $"bad pointer '{pointer}'");
        }

        var expected = c["value"];
        var exists = actual is not null || PointerHitsNull(snapshot, pointer);
        return op switch
        {
            "exists" => exists,
            "eq" => exists && JsonNode.DeepEquals(actual, expected),
            "ne" => !exists || !JsonNode.DeepEquals(actual, expected),
            "gt" => Compare(actual, expected) is > 0,
            "gte" => Compare(actual, expected) is >= 0,
            "lt" => Compare(actual, expected) is < 0,
            "lte" => Compare(actual, expected) is <= 0,
            "in" => expected is JsonArray options ? options.Any(o => JsonNode.DeepEquals(o, actual)) && exists : throw new RuleFormatException(ruleId, "'in' needs an array value"),
            "contains" => Contains(actual, expected),
            _ => throw new RuleFormatException(ruleId, $"unknown op '{op}'"),
        };
    }

    private static bool PointerHitsNull(JsonObject snapshot, string pointer) =>
        global::Json.Pointer.JsonPointer.Parse(pointer).TryEvaluate(snapshot, out _);

    private static int? Compare(JsonNode? a, JsonNode? b)
    {
        if (a is JsonValue x && b is JsonValue y)
        {
            if (x.GetValueKind() == JsonValueKind.Number && y.GetValueKind() == JsonValueKind.Number)
            {
                return x.GetValue<decimal>().CompareTo(y.GetValue<decimal>());
            }

            if (x.GetValueKind() == JsonValueKind.String && y.GetValueKind() == JsonValueKind.String)
            {
                return Math.Sign(string.CompareOrdinal(x.GetValue<string>(), y.GetValue<string>()));
            }
        }

        return null;
    }

    private static bool Contains(JsonNode? actual, JsonNode? expected) => actual switch
    {
        JsonArray array => array.Any(item => JsonNode.DeepEquals(item, expected)),
        JsonValue s when s.GetValueKind() == JsonValueKind.String && expected is JsonValue e && e.GetValueKind() == JsonValueKind.String =>
            s.GetValue<string>().Contains(e.GetValue<string>(), StringComparison.Ordinal),
        _ => false,
    };
}
