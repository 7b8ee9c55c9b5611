using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Model;
using EccoStudio.GcsEmulator.Notifications;

namespace EccoStudio.GcsEmulator.Api;

/// <summary>Builds the JSON API resources (storage#object, storage#bucket, storage#notification).</summary>
public static class ResourceJson
{
    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string S(long v) => v.ToString(CultureInfo.InvariantCulture);

    public static string ObjectEtag(ObjectMeta meta) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{S(meta.Generation)}/{S(meta.Metageneration)}")).TrimEnd('=');

    public static JsonObject ObjectResource(ObjectMeta meta, string baseAddress)
    {
        var encoded = Uri.EscapeDataString(meta.Name);
        var bucket = Uri.EscapeDataString(meta.Bucket);
        var json = new JsonObject
        {
            ["kind"] = "storage#object",
            ["id"] = $"{meta.Bucket}/{meta.Name}/{S(meta.Generation)}",
            ["selfLink"] = $"{baseAddress}storage/v1/b/{bucket}/o/{encoded}",
            ["mediaLink"] = $"{baseAddress}download/storage/v1/b/{bucket}/o/{encoded}?generation={S(meta.Generation)}&alt=media",
            ["name"] = meta.Name,
            ["bucket"] = meta.Bucket,
            ["generation"] = S(meta.Generation),
            ["metageneration"] = S(meta.Metageneration),
            ["contentType"] = meta.ContentType ?? "application/octet-stream",
            ["storageClass"] = meta.StorageClass,
            ["size"] = S(meta.Size),
            ["crc32c"] = meta.Crc32c,
            ["etag"] = ObjectEtag(meta),
            ["timeCreated"] = Timestamp(meta.TimeCreated),
            ["updated"] = Timestamp(meta.Updated),
            ["timeStorageClassUpdated"] = Timestamp(meta.TimeCreated),
        };
        if (meta.Md5Hash is not null) json["md5Hash"] = meta.Md5Hash;
        if (meta.TimeDeleted is { } deleted) json["timeDeleted"] = Timestamp(deleted);
        if (meta.ContentEncoding is not null) json["contentEncoding"] = meta.ContentEncoding;
        if (meta.ContentDisposition is not null) json["contentDisposition"] = meta.ContentDisposition;
        if (meta.ContentLanguage is not null) json["contentLanguage"] = meta.ContentLanguage;
        if (meta.CacheControl is not null) json["cacheControl"] = meta.CacheControl;
        if (meta.CustomTime is not null) json["customTime"] = meta.CustomTime;
        if (meta.ComponentCount is { } cc) json["componentCount"] = cc;
        if (meta.KmsKeyName is not null) json["kmsKeyName"] = meta.KmsKeyName;
        if (meta.TemporaryHold is { } th) json["temporaryHold"] = th;
        if (meta.EventBasedHold is { } eh) json["eventBasedHold"] = eh;
        if (meta.Retention is { } retention)
        {
            json["retention"] = new JsonObject { ["mode"] = retention.Mode, ["retainUntilTime"] = Timestamp(retention.RetainUntil) };
        }

        if (meta.Metadata is { Count: > 0 } metadata)
        {
            var map = new JsonObject();
            foreach (var (k, v) in metadata)
            {
                map[k] = v;
            }

            json["metadata"] = map;
        }

        return json;
    }

    public static JsonObject BucketResource(BucketMeta meta, string baseAddress)
    {
        var json = new JsonObject
        {
            ["kind"] = "storage#bucket",
            ["id"] = meta.Name,
            ["selfLink"] = $"{baseAddress}storage/v1/b/{meta.Name}",
            ["projectNumber"] = "0",
            ["name"] = meta.Name,
            ["timeCreated"] = Timestamp(meta.TimeCreated),
            ["updated"] = Timestamp(meta.Updated),
            ["metageneration"] = S(meta.Metageneration),
            ["location"] = "US",
            ["locationType"] = "multi-region",
            ["storageClass"] = "STANDARD",
            ["rpo"] = "DEFAULT",
            ["etag"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(S(meta.Metageneration))).TrimEnd('='),
            ["iamConfiguration"] = new JsonObject
            {
                ["bucketPolicyOnly"] = new JsonObject { ["enabled"] = false },
                ["uniformBucketLevelAccess"] = new JsonObject { ["enabled"] = false },
                ["publicAccessPrevention"] = "inherited",
            },
        };
        foreach (var (key, value) in meta.Fields)
        {
            json[key] = value?.DeepClone();
        }

        CompleteAsGcsReturns(json, meta);
        return json;
    }

    /// <summary>
    /// The fields GCS fills in on its side: iamConfiguration's unset parts, bucketPolicyOnly mirroring UBLA, the
    /// default 7-day soft-delete policy, retention/autoclass effective times; numbers GCS sends as strings.
    /// </summary>
    private static void CompleteAsGcsReturns(JsonObject json, BucketMeta meta)
    {
        var iam = json["iamConfiguration"] as JsonObject ?? [];
        json["iamConfiguration"] = iam;
        if (iam["uniformBucketLevelAccess"] is not JsonObject ubla)
        {
            ubla = new JsonObject { ["enabled"] = false };
            iam["uniformBucketLevelAccess"] = ubla;
        }

        if (ubla["enabled"] is JsonValue on && on.TryGetValue<bool>(out var enabled) && enabled && ubla["lockedTime"] is null)
        {
            // GCS allows turning UBLA off for 90 days after it was turned on.
            ubla["lockedTime"] = Timestamp(meta.Updated.AddDays(90));
        }

        iam["bucketPolicyOnly"] = ubla.DeepClone();
        iam["publicAccessPrevention"] ??= "inherited";

        var created = Timestamp(meta.TimeCreated);
        json["softDeletePolicy"] ??= new JsonObject { ["retentionDurationSeconds"] = "604800", ["effectiveTime"] = created };
        if (json["softDeletePolicy"] is JsonObject soft)
        {
            soft["effectiveTime"] ??= created;
            if (soft["retentionDurationSeconds"] is JsonValue seconds && seconds.GetValueKind() == System.Text.Json.JsonValueKind.Number)
            {
                soft["retentionDurationSeconds"] = seconds.ToJsonString();
            }
        }

        if (json["retentionPolicy"] is JsonObject retention)
        {
            retention["effectiveTime"] ??= Timestamp(meta.Updated);
            retention["isLocked"] ??= false;
            if (retention["retentionPeriod"] is JsonValue period && period.GetValueKind() == System.Text.Json.JsonValueKind.Number)
            {
                retention["retentionPeriod"] = period.ToJsonString();
            }
        }

        if (json["autoclass"] is JsonObject autoclass)
        {
            autoclass["toggleTime"] ??= Timestamp(meta.Updated);
        }
    }

    public static JsonObject NotificationResource(NotificationConfig config, string bucket, string baseAddress)
    {
        var json = new JsonObject
        {
            ["kind"] = "storage#notification",
            ["id"] = config.Id,
            ["selfLink"] = $"{baseAddress}storage/v1/b/{bucket}/notificationConfigs/{config.Id}",
            ["topic"] = config.Topic,
            ["payload_format"] = config.PayloadFormat,
            ["etag"] = config.Id,
        };
        if (config.EventTypes is { Count: > 0 } types)
        {
            json["event_types"] = new JsonArray(types.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
        }

        if (config.ObjectNamePrefix is not null) json["object_name_prefix"] = config.ObjectNamePrefix;
        if (config.CustomAttributes is { Count: > 0 } attrs)
        {
            var map = new JsonObject();
            foreach (var (k, v) in attrs)
            {
                map[k] = v;
            }

            json["custom_attributes"] = map;
        }

        return json;
    }
}
