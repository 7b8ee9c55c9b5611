using System.Text.Json.Nodes;

namespace EccoStudio.Storage.Json;

/// <summary>RFC 7396 JSON Merge Patch. Inputs are not modified; the result shares no nodes with them.</summary>
public static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
                continue;
            }

            var current = result.TryGetPropertyValue(name, out var existing) ? existing : null;
            var merged = Apply(current, value);
            result[name] = merged;
        }

        return result;
    }

    /// <summary>A merge patch that turns <paramref name="from"/> into <paramref name="to"/> (objects diffed member-wise).</summary>
    public static JsonObject Diff(JsonObject from, JsonObject to)
    {
        var patch = new JsonObject();
        foreach (var (name, _) in from)
        {
            if (!to.ContainsKey(name))
            {
                patch[name] = null;
            }
        }

        foreach (var (name, value) in to)
        {
            var before = from.TryGetPropertyValue(name, out var b) ? b : null;
            if (from.ContainsKey(name) && JsonNode.DeepEquals(before, value))
            {
                continue;
            }

            patch[name] = before is JsonObject bo && value is JsonObject vo ? Diff(bo, vo) : value?.DeepClone();
        }

        return patch;
    }
}
