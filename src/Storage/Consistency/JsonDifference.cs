using System.Text.Json.Nodes;

namespace EccoStudio.Storage.Consistency;

/// <summary>The JSON pointer of the first place two documents differ (for readable drift reports).</summary>
public static class JsonDifference
{
    /// <returns>Null when equal; "" when the roots differ in type; else e.g. <c>/budget/spentUSD</c>.</returns>
    public static string? FirstPointer(JsonNode? expected, JsonNode? actual) => Walk(expected, actual, "");

    private static string? Walk(JsonNode? a, JsonNode? b, string path)
    {
        if (JsonNode.DeepEquals(a, b))
        {
            return null;
        }

        switch (a, b)
        {
            case (JsonObject x, JsonObject y):
                foreach (var name in x.Select(p => p.Key).Union(y.Select(p => p.Key), StringComparer.Ordinal))
                {
                    var child = path + "/" + name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
                    if (!x.ContainsKey(name) || !y.ContainsKey(name))
                    {
                        return child;
                    }

                    if (Walk(x[name], y[name], child) is { } found)
                    {
                        return found;
                    }
                }

                return path;
            case (JsonArray x, JsonArray y):
                for (var i = 0; i < Math.Max(x.Count, y.Count); i++)
                {
                    if (i >= x.Count || i >= y.Count)
                    {
                        return $"{path}/{i}";
                    }

                    if (Walk(x[i], y[i], $"{path}/{i}") is { } found)
                    {
                        return found;
                    }
                }

                return path;
            default:
                return path;
        }
    }
}
