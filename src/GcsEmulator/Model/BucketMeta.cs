using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Notifications;

namespace EccoStudio.GcsEmulator.Model;

/// <summary>
/// The stored state of one bucket. <see cref="Fields"/> holds the user-settable JSON fields as sent
/// (versioning, lifecycle, iamConfiguration, labels, encryption, location, storageClass, ...).
/// </summary>
public sealed record BucketMeta
{
    public required string Name { get; init; }
    public required string ProjectId { get; init; }
    public long Metageneration { get; init; } = 1;
    public DateTimeOffset TimeCreated { get; init; }
    public DateTimeOffset Updated { get; init; }
    public required JsonObject Fields { get; init; }
    public IReadOnlyList<NotificationConfig> Notifications { get; init; } = [];
    public long NextNotificationId { get; init; } = 1;

    /// <summary>The bucket's IAM policy as last set (bindings, version); null = the default policy GCS gives a new bucket.</summary>
    public JsonObject? IamPolicy { get; init; }

    /// <summary>Bumped on every setIamPolicy; the policy's etag is derived from it.</summary>
    public long IamVersion { get; init; } = 1;

    public bool VersioningEnabled =>
        Fields["versioning"] is JsonObject v && v["enabled"] is JsonValue e && e.TryGetValue<bool>(out var on) && on;
}
