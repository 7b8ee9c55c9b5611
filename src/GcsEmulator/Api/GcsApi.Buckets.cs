using System.Globalization;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Errors;
using EccoStudio.GcsEmulator.Model;
using EccoStudio.GcsEmulator.Notifications;
using EccoStudio.GcsEmulator.Store;

namespace EccoStudio.GcsEmulator.Api;

public sealed partial class GcsApi
{
    private static Preconditions BucketPreconditions(HttpContext context) =>
        new(null, null, GcsRequest.Number(context, "ifMetagenerationMatch"), GcsRequest.Number(context, "ifMetagenerationNotMatch"));

    private async Task InsertBucketAsync(HttpContext context)
    {
        var project = GcsRequest.Query(context, "project") ?? DefaultProject;
        var body = await GcsRequest.ReadJsonAsync(context);
        if (GcsRequest.Bool(context, "enableObjectRetention"))
        {
            // Object Retention Lock can only be switched on when the bucket is created (buckets.insert query parameter).
            body["objectRetention"] = new JsonObject { ["mode"] = "Enabled" };
        }

        var meta = store.CreateBucket(project, body);
        await GcsResponses.JsonAsync(context, ResourceJson.BucketResource(meta, GcsRequest.BaseAddress(context)));
    }

    /// <summary>The project used when a bucket is created without ?project=.</summary>
    public string DefaultProject { get; init; } = "ecco-local";

    private async Task GetBucketAsync(HttpContext context, string bucket)
    {
        var meta = store.GetBucket(bucket, BucketPreconditions(context));
        await GcsResponses.JsonAsync(context, ResourceJson.BucketResource(meta, GcsRequest.BaseAddress(context)));
    }

    private async Task ListBucketsAsync(HttpContext context)
    {
        var project = GcsRequest.Query(context, "project");
        var all = store.ListBuckets(project, GcsRequest.Query(context, "prefix"));
        var max = (int)Math.Clamp(GcsRequest.Number(context, "maxResults") ?? 1000, 1, 1000);
        var token = GcsRequest.Query(context, "pageToken");
        var page = all.Where(b => token is null || string.CompareOrdinal(b.Name, token) > 0).Take(max + 1).ToList();
        var baseAddress = GcsRequest.BaseAddress(context);
        var body = new JsonObject
        {
            ["kind"] = "storage#buckets",
            ["items"] = new JsonArray(page.Take(max).Select(b => (JsonNode?)ResourceJson.BucketResource(b, baseAddress)).ToArray()),
        };
        if (page.Count > max)
        {
            body["nextPageToken"] = page[max - 1].Name;
        }

        await GcsResponses.JsonAsync(context, body);
    }

    private async Task UpdateBucketAsync(HttpContext context, string bucket, bool replace)
    {
        var body = await GcsRequest.ReadJsonAsync(context);
        var meta = store.UpdateBucket(bucket, body, replace, BucketPreconditions(context));
        await GcsResponses.JsonAsync(context, ResourceJson.BucketResource(meta, GcsRequest.BaseAddress(context)));
    }

    private Task DeleteBucketAsync(HttpContext context, string bucket)
    {
        store.DeleteBucket(bucket, BucketPreconditions(context));
        return GcsResponses.NoContent(context);
    }

    private async Task InsertNotificationAsync(HttpContext context, string bucket)
    {
        var body = await GcsRequest.ReadJsonAsync(context);
        var topic = ObjectFields.Str(body, "topic");
        if (string.IsNullOrWhiteSpace(topic) || !topic.Contains("projects/", StringComparison.Ordinal) || !topic.Contains("/topics/", StringComparison.Ordinal))
        {
            throw GcsException.BadRequest("A topic of the form projects/{project}/topics/{topic} is required.", "required");
        }

        if (!topic.StartsWith("//pubsub.googleapis.com/", StringComparison.Ordinal))
        {
            topic = "//pubsub.googleapis.com/" + topic.TrimStart('/');
        }

        var format = ObjectFields.Str(body, "payload_format") ?? "JSON_API_V1";
        if (format is not ("JSON_API_V1" or "NONE"))
        {
            throw GcsException.BadRequest($"Invalid payload_format: {format}");
        }

        List<string>? types = null;
        if (body["event_types"] is JsonArray array)
        {
            types = [];
            foreach (var item in array)
            {
                var t = item?.GetValue<string>();
                if (t is not (ObjectEventTypes.Finalize or ObjectEventTypes.Delete or ObjectEventTypes.Archive or ObjectEventTypes.MetadataUpdate))
                {
                    throw GcsException.BadRequest($"Invalid event type: {t}");
                }

                types.Add(t);
            }
        }
        else if (body["event_types"] is not null)
        {
            throw GcsException.BadRequest("event_types must be a list.");
        }

        var attributes = body["custom_attributes"] is null
            ? null
            : ObjectFields.Map(body["custom_attributes"], null);
        var config = store.InsertNotification(
            bucket, new NotificationConfig(string.Empty, topic, types, ObjectFields.Str(body, "object_name_prefix"), attributes, format));
        await GcsResponses.JsonAsync(context, ResourceJson.NotificationResource(config, bucket, GcsRequest.BaseAddress(context)));
    }

    private async Task ListNotificationsAsync(HttpContext context, string bucket)
    {
        var baseAddress = GcsRequest.BaseAddress(context);
        var items = store.ListNotifications(bucket).Select(n => (JsonNode?)ResourceJson.NotificationResource(n, bucket, baseAddress)).ToArray();
        await GcsResponses.JsonAsync(context, new JsonObject { ["kind"] = "storage#notifications", ["items"] = new JsonArray(items) });
    }

    private async Task GetNotificationAsync(HttpContext context, string bucket, string id)
    {
        var config = store.GetNotification(bucket, id);
        await GcsResponses.JsonAsync(context, ResourceJson.NotificationResource(config, bucket, GcsRequest.BaseAddress(context)));
    }

    private Task DeleteNotificationAsync(HttpContext context, string bucket, string id)
    {
        store.DeleteNotification(bucket, id);
        return GcsResponses.NoContent(context);
    }

    /// <summary>buckets.getStorageLayout (gcloud asks before mv/rm -r): a flat namespace.</summary>
    private async Task StorageLayoutAsync(HttpContext context, string bucket)
    {
        store.GetBucket(bucket, Preconditions.None);
        await GcsResponses.JsonAsync(context, new JsonObject
        {
            ["kind"] = "storage#storageLayout",
            ["bucket"] = bucket,
            ["location"] = "US",
            ["locationType"] = "multi-region",
            ["hierarchicalNamespace"] = new JsonObject { ["enabled"] = false },
        });
    }

    /// <summary>buckets.getIamPolicy (<c>optionsRequestedPolicyVersion</c> 1 or 3): the stored policy, not enforced.</summary>
    private async Task GetIamPolicyAsync(HttpContext context, string bucket)
    {
        var requested = (int)Math.Clamp(GcsRequest.Number(context, "optionsRequestedPolicyVersion") ?? 1, 0, 3);
        await GcsResponses.JsonAsync(context, store.GetIamPolicy(bucket, requested));
    }

    /// <summary>buckets.setIamPolicy: replaces the policy; a stale etag is 412.</summary>
    private async Task SetIamPolicyAsync(HttpContext context, string bucket)
    {
        var body = await GcsRequest.ReadJsonAsync(context);
        await GcsResponses.JsonAsync(context, store.SetIamPolicy(bucket, body));
    }

    /// <summary>
    /// buckets.testIamPermissions: the emulator authenticates nobody and enforces no policy, so a local caller really
    /// holds every bucket and object permission: each valid one asked for is returned; an unknown name is 400 as on GCS.
    /// </summary>
    private async Task TestPermissionsAsync(HttpContext context, string bucket)
    {
        store.GetBucket(bucket, Preconditions.None);
        var asked = context.Request.Query["permissions"].Where(p => !string.IsNullOrEmpty(p)).Select(p => p!).ToList();
        if (asked.Count == 0)
        {
            throw GcsException.BadRequest("Required parameter: permissions", "required");
        }

        if (asked.FirstOrDefault(p => !KnownPermissions.Contains(p)) is { } unknown)
        {
            throw GcsException.BadRequest($"Permission '{unknown}' is not a valid Cloud Storage permission.");
        }

        var granted = asked.Distinct(StringComparer.Ordinal).Select(p => (JsonNode?)JsonValue.Create(p)).ToArray();
        await GcsResponses.JsonAsync(context, new JsonObject { ["kind"] = "storage#testIamPermissionsResponse", ["permissions"] = new JsonArray(granted) });
    }

    private static readonly HashSet<string> KnownPermissions = new(StringComparer.Ordinal)
    {
        "storage.buckets.create", "storage.buckets.delete", "storage.buckets.get", "storage.buckets.getIamPolicy",
        "storage.buckets.list", "storage.buckets.setIamPolicy", "storage.buckets.update", "storage.buckets.getObjectInsights",
        "storage.buckets.listEffectiveTags", "storage.buckets.createTagBinding", "storage.buckets.deleteTagBinding",
        "storage.buckets.listTagBindings", "storage.buckets.enableObjectRetention", "storage.buckets.restore",
        "storage.objects.create", "storage.objects.delete", "storage.objects.get", "storage.objects.getIamPolicy",
        "storage.objects.list", "storage.objects.setIamPolicy", "storage.objects.update", "storage.objects.restore",
        "storage.objects.setRetention", "storage.objects.overrideUnlockedRetention",
        "storage.multipartUploads.abort", "storage.multipartUploads.create", "storage.multipartUploads.list",
        "storage.multipartUploads.listParts",
        "storage.managedFolders.create", "storage.managedFolders.delete", "storage.managedFolders.get",
        "storage.managedFolders.getIamPolicy", "storage.managedFolders.list", "storage.managedFolders.setIamPolicy",
    };

    /// <summary>managedFolders.list / folders.list: the emulator has neither; gcloud asks during rm -r.</summary>
    private async Task EmptyListAsync(HttpContext context, string bucket, string kind)
    {
        store.GetBucket(bucket, Preconditions.None);
        await GcsResponses.JsonAsync(context, new JsonObject { ["kind"] = kind, ["items"] = new JsonArray() });
    }

    private static string Str(long v) => v.ToString(CultureInfo.InvariantCulture);
}
