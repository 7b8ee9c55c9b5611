using System.Globalization;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Notifications;

namespace EccoStudio.GcsEmulator.Tests;

internal static class NotificationTestData
{
    public static NotificationConfig Config(string id, string topic, string[]? eventTypes = null, string? prefix = null,
        Dictionary<string, string>? custom = null, string payload = "JSON_API_V1") =>
        new(id, topic, eventTypes, prefix, custom, payload);

    public static ObjectChangeEvent Change(string eventType, string bucket, string name, long generation,
        params NotificationConfig[] configs) =>
        new(eventType, bucket, name, generation, Resource(bucket, name, generation),
            new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1_234_567), null, null, configs);

    public static JsonObject Resource(string bucket, string name, long generation) => new()
    {
        ["kind"] = "storage#object",
        ["id"] = $"{bucket}/{name}/{generation}",
        ["name"] = name,
        ["bucket"] = bucket,
        ["generation"] = generation.ToString(CultureInfo.InvariantCulture),
        ["metageneration"] = "1",
        ["size"] = "3",
    };
}
