using System.Net;
using EccoStudio.Provisioning.Config;
using EccoStudio.Provisioning.Planning;
using EccoStudio.Storage.Layout;
using Google;
using Google.Cloud.Storage.V1;
using Notification = Google.Apis.Storage.v1.Data.Notification;

namespace EccoStudio.Provisioning.Notifications;

/// <summary>
/// One OBJECT_FINALIZE notification config (JSON_API_V1 payload) per served environment with prefix
/// <c>env/{env}/</c>; the bridge ignores objects that are neither history nor snapshots. Per entity kind would need
/// one config per kind and env, but GCS allows at most 10 configs per event type on a bucket (docs/operations.md
/// "Notifications" has the measured cost of each choice). Configs on our topic that are not declared are removed.
/// </summary>
public sealed class NotificationPlanner(StorageClient storage, DeploymentTarget target)
{
    public const string EventType = "OBJECT_FINALIZE";
    public const string PayloadFormat = "JSON_API_V1";

    public string Topic => "//pubsub.googleapis.com/" + target.TopicPath(target.Config.PubSub.Topic);

    public async Task<ResourcePlan> PlanAsync(CancellationToken cancellationToken)
    {
        var actual = await TryListAsync(cancellationToken);
        var ours = actual.Where(n => SameTopic(n.Topic)).ToList();
        var changes = new List<PlannedChange>();
        var missing = new List<string>();
        foreach (var prefix in target.Config.Environments.Select(ObjectPaths.EnvRoot))
        {
            var text = Describe(prefix, [EventType], PayloadFormat);
            if (ours.Any(n => Matches(n, prefix)))
            {
                changes.Add(new PlannedChange("notification", ChangeKind.Keep, text, text));
            }
            else
            {
                changes.Add(new PlannedChange("notification", ChangeKind.Add, null, text));
                missing.Add(prefix);
            }
        }

        var declared = target.Config.Environments.Select(ObjectPaths.EnvRoot).ToHashSet(StringComparer.Ordinal);
        var extra = ours.Where(n => !declared.Contains(n.ObjectNamePrefix ?? string.Empty) || !Matches(n, n.ObjectNamePrefix ?? string.Empty)).ToList();
        foreach (var n in extra)
        {
            changes.Add(new PlannedChange("notification", ChangeKind.Remove, $"#{n.Id} " + Describe(n.ObjectNamePrefix, n.EventTypes, n.PayloadFormat), null));
        }

        Func<CancellationToken, Task>? apply = missing.Count == 0 && extra.Count == 0 ? null : async ct =>
        {
            foreach (var prefix in missing)
            {
                await storage.CreateNotificationAsync(target.Bucket, new Notification
                {
                    Topic = Topic,
                    EventTypes = [EventType],
                    PayloadFormat = PayloadFormat,
                    ObjectNamePrefix = prefix,
                }, cancellationToken: ct);
            }

            foreach (var n in extra)
            {
                await storage.DeleteNotificationAsync(target.Bucket, n.Id, cancellationToken: ct);
            }
        };
        return new ResourcePlan($"bucket notifications gs://{target.Bucket} → {target.TopicPath(target.Config.PubSub.Topic)}", changes, apply);
    }

    private bool SameTopic(string? topic) =>
        topic is not null && (topic == Topic || "//pubsub.googleapis.com/" + topic.TrimStart('/') == Topic);

    private bool Matches(Notification n, string prefix) =>
        SameTopic(n.Topic) && n.ObjectNamePrefix == prefix && n.PayloadFormat == PayloadFormat
        && n.EventTypes is { Count: 1 } types && types[0] == EventType;

    private static string Describe(string? prefix, IList<string>? types, string? format) =>
        $"prefix {prefix ?? "(all)"} events {string.Join(',', types ?? ["(all)"])} payload {format}";

    private async Task<IReadOnlyList<Notification>> TryListAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await storage.ListNotificationsAsync(target.Bucket, cancellationToken: cancellationToken);
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }
    }
}
