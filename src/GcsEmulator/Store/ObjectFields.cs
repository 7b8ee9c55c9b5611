using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Errors;
using EccoStudio.GcsEmulator.Model;

namespace EccoStudio.GcsEmulator.Store;

/// <summary>Reads the writable fields of an object resource from request JSON.</summary>
public static class ObjectFields
{
    public static ObjectWrite ToWrite(JsonObject? json, string? name)
    {
        json ??= [];
        var resolved = name ?? Str(json, "name");
        return new ObjectWrite
        {
            Name = resolved ?? string.Empty,
            ContentType = Str(json, "contentType"),
            ContentEncoding = Str(json, "contentEncoding"),
            ContentDisposition = Str(json, "contentDisposition"),
            ContentLanguage = Str(json, "contentLanguage"),
            CacheControl = Str(json, "cacheControl"),
            CustomTime = Str(json, "customTime"),
            Metadata = Map(json["metadata"], null),
            StorageClass = Str(json, "storageClass"),
            KmsKeyName = Str(json, "kmsKeyName"),
            TemporaryHold = Bool(json, "temporaryHold"),
            EventBasedHold = Bool(json, "eventBasedHold"),
            Retention = Retention(json),
            ExpectedMd5 = Str(json, "md5Hash"),
            ExpectedCrc32c = Str(json, "crc32c"),
        };
    }

    /// <summary>objects.patch (merge; null clears; metadata keys merge) or objects.update (replace all writable fields).</summary>
    public static ObjectMeta Apply(ObjectMeta meta, JsonObject body, bool replace)
    {
        if (replace)
        {
            var w = ToWrite(body, meta.Name);
            return meta with
            {
                ContentType = w.ContentType,
                ContentEncoding = w.ContentEncoding,
                ContentDisposition = w.ContentDisposition,
                ContentLanguage = w.ContentLanguage,
                CacheControl = w.CacheControl,
                CustomTime = w.CustomTime,
                Metadata = w.Metadata,
                TemporaryHold = w.TemporaryHold,
                EventBasedHold = w.EventBasedHold,
                Retention = w.Retention,
            };
        }

        var result = meta;
        if (body.ContainsKey("contentType")) result = result with { ContentType = Str(body, "contentType") };
        if (body.ContainsKey("contentEncoding")) result = result with { ContentEncoding = Str(body, "contentEncoding") };
        if (body.ContainsKey("contentDisposition")) result = result with { ContentDisposition = Str(body, "contentDisposition") };
        if (body.ContainsKey("contentLanguage")) result = result with { ContentLanguage = Str(body, "contentLanguage") };
        if (body.ContainsKey("cacheControl")) result = result with { CacheControl = Str(body, "cacheControl") };
        if (body.ContainsKey("customTime")) result = result with { CustomTime = Str(body, "customTime") };
        if (body.ContainsKey("temporaryHold")) result = result with { TemporaryHold = Bool(body, "temporaryHold") };
        if (body.ContainsKey("eventBasedHold")) result = result with { EventBasedHold = Bool(body, "eventBasedHold") };
        if (body.ContainsKey("retention")) result = result with { Retention = Retention(body) };
        if (body.ContainsKey("metadata"))
        {
            result = result with { Metadata = body["metadata"] is null ? null : Map(body["metadata"], meta.Metadata) };
        }

        return result;
    }

    /// <summary>The <c>retention</c> field: <c>{mode: Unlocked|Locked, retainUntilTime: RFC 3339}</c>; null when absent or null.</summary>
    public static ObjectRetention? Retention(JsonObject json)
    {
        if (json["retention"] is null)
        {
            return null;
        }

        if (json["retention"] is not JsonObject retention)
        {
            throw GcsException.BadRequest("Invalid value for field 'retention'.");
        }

        var mode = Str(retention, "mode");
        if (mode is not (ObjectRetention.Unlocked or ObjectRetention.Locked))
        {
            throw GcsException.BadRequest($"Invalid value for field 'retention.mode': '{mode}'. Expected Unlocked or Locked.");
        }

        var until = Str(retention, "retainUntilTime");
        if (until is null || !DateTimeOffset.TryParse(until, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var retainUntil))
        {
            throw GcsException.BadRequest($"Invalid value for field 'retention.retainUntilTime': '{until}'.");
        }

        return new ObjectRetention(mode, retainUntil.ToUniversalTime());
    }

    public static string? Str(JsonObject json, string key)
    {
        var node = json[key];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }

        if (node is JsonValue n && n.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
        {
            return n.ToJsonString();
        }

        throw GcsException.BadRequest($"Invalid value for field '{key}'.");
    }

    public static bool? Bool(JsonObject json, string key)
    {
        var node = json[key];
        return node switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
            JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
            JsonValue v when v.GetValueKind() == JsonValueKind.String && bool.TryParse(v.GetValue<string>(), out var b) => b,
            _ => throw GcsException.BadRequest($"Invalid value for field '{key}'."),
        };
    }

    public static long? Number(JsonObject json, string key)
    {
        var node = json[key];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var l))
            {
                return l;
            }

            if (v.GetValueKind() == JsonValueKind.String
                && long.TryParse(v.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s))
            {
                return s;
            }
        }

        throw GcsException.BadRequest($"Invalid value for field '{key}'.");
    }

    /// <summary>A string map; with a base map, merges (null values remove keys).</summary>
    public static IReadOnlyDictionary<string, string>? Map(JsonNode? node, IReadOnlyDictionary<string, string>? baseMap)
    {
        if (node is null)
        {
            return baseMap;
        }

        if (node is not JsonObject obj)
        {
            throw GcsException.BadRequest("Invalid value for field 'metadata'.");
        }

        var result = baseMap is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(baseMap, StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                result[key] = v.GetValue<string>();
            }
            else if (value is JsonValue other)
            {
                result[key] = other.ToJsonString();
            }
            else
            {
                throw GcsException.BadRequest($"Invalid metadata value for key '{key}'.");
            }
        }

        return result;
    }
}
