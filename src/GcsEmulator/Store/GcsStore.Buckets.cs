using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Errors;
using EccoStudio.GcsEmulator.Model;
using EccoStudio.GcsEmulator.Notifications;

namespace EccoStudio.GcsEmulator.Store;

public sealed partial class GcsStore
{
    private static readonly HashSet<string> ReadOnlyBucketFields = new(StringComparer.Ordinal)
    {
        "kind", "id", "selfLink", "name", "projectNumber", "metageneration", "timeCreated", "updated", "etag", "owner",
    };

    public BucketMeta CreateBucket(string projectId, JsonObject body)
    {
        var name = ObjectFields.Str(body, "name");
        ObjectNames.ValidateBucketName(name);
        lock (_bucketsSync)
        {
            if (_buckets.ContainsKey(name!))
            {
                throw GcsException.Conflict("Your previous request to create the named bucket succeeded and you already own it.");
            }

            var now = Now();
            var meta = new BucketMeta
            {
                Name = name!,
                ProjectId = projectId,
                TimeCreated = now,
                Updated = now,
                Fields = WritableFields(body),
            };
            _persistence.WriteBucket(meta);
            Interlocked.Increment(ref _mutations);
            _buckets[meta.Name] = new BucketState(meta);
            return meta;
        }
    }

    public BucketMeta GetBucket(string name, Preconditions pre)
    {
        var state = GetBucketState(name);
        lock (state.Sync)
        {
            CheckBucket(state.Meta, pre, read: true);
            return state.Meta;
        }
    }

    public IReadOnlyList<BucketMeta> ListBuckets(string? projectId, string? prefix) =>
        _buckets.Values
            .Where(b => !b.Deleted)
            .Select(b => b.Meta)
            .Where(b => projectId is null || string.Equals(b.ProjectId, projectId, StringComparison.Ordinal))
            .Where(b => prefix is null || b.Name.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>buckets.patch (merge; labels merge key by key; null clears) or buckets.update (replace).</summary>
    public BucketMeta UpdateBucket(string name, JsonObject body, bool replace, Preconditions pre)
    {
        var state = GetBucketState(name);
        lock (state.Sync)
        {
            var current = state.Meta;
            CheckBucket(current, pre, read: false);
            JsonObject fields;
            if (replace)
            {
                fields = WritableFields(body);
            }
            else
            {
                fields = (JsonObject)current.Fields.DeepClone();
                foreach (var (key, value) in body)
                {
                    if (ReadOnlyBucketFields.Contains(key))
                    {
                        continue;
                    }

                    if (value is null)
                    {
                        fields.Remove(key);
                    }
                    else if (key == "iamConfiguration" && value is JsonObject iam)
                    {
                        // Patch merges iamConfiguration part by part (setting PAP keeps UBLA as it was).
                        var merged = fields["iamConfiguration"] as JsonObject ?? [];
                        foreach (var (k, v) in iam)
                        {
                            merged[k] = v?.DeepClone();
                        }

                        fields["iamConfiguration"] = merged;
                    }
                    else if (key == "labels" && value is JsonObject labels)
                    {
                        var merged = fields["labels"] as JsonObject ?? [];
                        foreach (var (k, v) in labels)
                        {
                            if (v is null)
                            {
                                merged.Remove(k);
                            }
                            else
                            {
                                merged[k] = v.DeepClone();
                            }
                        }

                        fields["labels"] = merged;
                    }
                    else
                    {
                        fields[key] = value.DeepClone();
                    }
                }
            }

            var updated = current with { Fields = JsonTree.Materialize(fields), Metageneration = current.Metageneration + 1, Updated = Now() };
            _persistence.WriteBucket(updated);
            Interlocked.Increment(ref _mutations);
            state.Meta = updated;
            return updated;
        }
    }

    public void DeleteBucket(string name, Preconditions pre)
    {
        lock (_bucketsSync)
        {
            var state = GetBucketState(name);
            lock (state.Sync)
            {
                CheckBucket(state.Meta, pre, read: false);
                if (!state.IsEmpty)
                {
                    throw GcsException.Conflict("The bucket you tried to delete is not empty.");
                }

                _persistence.DeleteBucket(name);
                Interlocked.Increment(ref _mutations);
                state.Deleted = true;
                _buckets.TryRemove(name, out _);
            }
        }
    }

    public NotificationConfig InsertNotification(string bucket, NotificationConfig requested)
    {
        var state = GetBucketState(bucket);
        lock (state.Sync)
        {
            var current = state.Meta;
            var config = requested with { Id = current.NextNotificationId.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            var updated = current with
            {
                Notifications = [.. current.Notifications, config],
                NextNotificationId = current.NextNotificationId + 1,
            };
            _persistence.WriteBucket(updated);
            Interlocked.Increment(ref _mutations);
            state.Meta = updated;
            return config;
        }
    }

    public IReadOnlyList<NotificationConfig> ListNotifications(string bucket) => GetBucketState(bucket).Meta.Notifications;

    public NotificationConfig GetNotification(string bucket, string id) =>
        GetBucketState(bucket).Meta.Notifications.FirstOrDefault(n => n.Id == id)
        ?? throw GcsException.NotFound($"Notification {id} not found in bucket {bucket}.");

    public void DeleteNotification(string bucket, string id)
    {
        var state = GetBucketState(bucket);
        lock (state.Sync)
        {
            var current = state.Meta;
            if (!current.Notifications.Any(n => n.Id == id))
            {
                throw GcsException.NotFound($"Notification {id} not found in bucket {bucket}.");
            }

            var updated = current with { Notifications = current.Notifications.Where(n => n.Id != id).ToList() };
            _persistence.WriteBucket(updated);
            Interlocked.Increment(ref _mutations);
            state.Meta = updated;
        }
    }

    private static JsonObject WritableFields(JsonObject body)
    {
        var fields = new JsonObject();
        foreach (var (key, value) in body)
        {
            if (!ReadOnlyBucketFields.Contains(key) && value is not null)
            {
                fields[key] = value.DeepClone();
            }
        }

        return JsonTree.Materialize(fields);
    }

    private static void CheckBucket(BucketMeta bucket, Preconditions pre, bool read)
    {
        if (pre.IfMetagenerationMatch is { } m && bucket.Metageneration != m)
        {
            throw GcsException.PreconditionFailed();
        }

        if (pre.IfMetagenerationNotMatch is { } mn && bucket.Metageneration == mn)
        {
            throw read ? GcsException.NotModified() : GcsException.PreconditionFailed();
        }
    }
}
