namespace EccoStudio.GcsEmulator.Notifications;

/// <summary>One Pub/Sub message to publish for one (event, notification config) pair.</summary>
/// <param name="Topic">Where it goes.</param>
/// <param name="Data">The payload (the JSON object resource for JSON_API_V1; empty for NONE).</param>
/// <param name="Attributes">The GCS notification attributes plus the config's custom attributes.</param>
public sealed record NotificationMessage(
    PubSubTopic Topic,
    ReadOnlyMemory<byte> Data,
    IReadOnlyDictionary<string, string> Attributes);
