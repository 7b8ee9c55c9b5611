using System.Text.Json.Nodes;

namespace EccoStudio.GcsEmulator.Notifications;

/// <summary>GCS notification event types (Pub/Sub notifications for Cloud Storage).</summary>
public static class ObjectEventTypes
{
    public const string Finalize = "OBJECT_FINALIZE";
    public const string Delete = "OBJECT_DELETE";
    public const string Archive = "OBJECT_ARCHIVE";
    public const string MetadataUpdate = "OBJECT_METADATA_UPDATE";
}

/// <summary>
/// A bucket notification configuration as stored by the emulator (JSON API resource "notification").
/// </summary>
public sealed record NotificationConfig(
    string Id,
    string Topic,
    IReadOnlyList<string>? EventTypes,
    string? ObjectNamePrefix,
    IReadOnlyDictionary<string, string>? CustomAttributes,
    string PayloadFormat);

/// <summary>
/// One change to one object generation, raised by the store after the change is committed,
/// in commit order per bucket. <paramref name="ObjectResource"/> is the JSON API object resource
/// (the JSON_API_V1 payload).
/// </summary>
public sealed record ObjectChangeEvent(
    string EventType,
    string Bucket,
    string ObjectName,
    long Generation,
    JsonObject ObjectResource,
    DateTimeOffset EventTime,
    long? OverwroteGeneration,
    long? OverwrittenByGeneration,
    IReadOnlyList<NotificationConfig> NotificationConfigs);

/// <summary>Receives committed object changes (the notification publisher implements it).</summary>
public interface IObjectEventSink
{
    /// <summary>Must not block: queue and return.</summary>
    void OnObjectChanged(ObjectChangeEvent change);
}
