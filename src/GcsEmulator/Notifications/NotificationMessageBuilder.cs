using System.Globalization;
using System.Text;

namespace EccoStudio.GcsEmulator.Notifications;

/// <summary>Turns an object change into the Pub/Sub messages GCS would publish for it.</summary>
public static class NotificationMessageBuilder
{
    public const string PayloadJsonApiV1 = "JSON_API_V1";
    public const string PayloadNone = "NONE";

    /// <summary>RFC 3339 UTC with microseconds, as GCS writes <c>eventTime</c>.</summary>
    public static string FormatEventTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>True when <paramref name="config"/> asks for <paramref name="change"/>.</summary>
    public static bool Matches(NotificationConfig config, ObjectChangeEvent change) =>
        (config.EventTypes is not { Count: > 0 } types || types.Contains(change.EventType, StringComparer.Ordinal))
        && (string.IsNullOrEmpty(config.ObjectNamePrefix)
            || change.ObjectName.StartsWith(config.ObjectNamePrefix, StringComparison.Ordinal));

    /// <summary>
    /// One message per matching config whose topic parses, in config order. <paramref name="skipped"/> receives the
    /// configs whose topic is not a Pub/Sub topic name.
    /// </summary>
    public static IReadOnlyList<NotificationMessage> Build(ObjectChangeEvent change, Action<NotificationConfig>? skipped = null)
    {
        var messages = new List<NotificationMessage>();
        byte[]? json = null;
        foreach (var config in change.NotificationConfigs)
        {
            if (!Matches(config, change))
            {
                continue;
            }

            if (PubSubTopic.TryParse(config.Topic) is not { } topic)
            {
                skipped?.Invoke(config);
                continue;
            }

            var none = string.Equals(config.PayloadFormat, PayloadNone, StringComparison.OrdinalIgnoreCase);
            var data = none ? ReadOnlyMemory<byte>.Empty : (json ??= Encoding.UTF8.GetBytes(change.ObjectResource.ToJsonString()));
            messages.Add(new NotificationMessage(topic, data, Attributes(change, config, none)));
        }

        return messages;
    }

    private static Dictionary<string, string> Attributes(ObjectChangeEvent change, NotificationConfig config, bool none)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (config.CustomAttributes is { } custom)
        {
            foreach (var (key, value) in custom)
            {
                attributes[key] = value;
            }
        }

        attributes["notificationConfig"] = $"projects/_/buckets/{change.Bucket}/notificationConfigs/{config.Id}";
        attributes["eventType"] = change.EventType;
        attributes["payloadFormat"] = none ? PayloadNone : PayloadJsonApiV1;
        attributes["bucketId"] = change.Bucket;
        attributes["objectId"] = change.ObjectName;
        attributes["objectGeneration"] = change.Generation.ToString(CultureInfo.InvariantCulture);
        attributes["eventTime"] = FormatEventTime(change.EventTime);
        if (change.OverwroteGeneration is { } overwrote)
        {
            attributes["overwroteGeneration"] = overwrote.ToString(CultureInfo.InvariantCulture);
        }

        if (change.OverwrittenByGeneration is { } overwrittenBy)
        {
            attributes["overwrittenByGeneration"] = overwrittenBy.ToString(CultureInfo.InvariantCulture);
        }

        return attributes;
    }
}
