using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Errors;
using EccoStudio.GcsEmulator.Hashing;
using EccoStudio.GcsEmulator.Model;
using EccoStudio.GcsEmulator.Notifications;

namespace EccoStudio.GcsEmulator.Store;

public sealed partial class GcsStore
{
    /// <summary>Creates a new generation of an object (upload, copy, rewrite).</summary>
    public ObjectMeta PutObject(string bucket, ObjectWrite write, byte[] data, Preconditions pre) =>
        PutObject(bucket, write, data, pre, Hash(data), componentCount: null, md5Known: true);

    private ObjectMeta PutObject(
        string bucket, ObjectWrite write, byte[] data, Preconditions pre, (string Md5, string Crc32c) hashes, int? componentCount, bool md5Known)
    {
        ObjectNames.ValidateObjectName(write.Name);
        if (write.ExpectedMd5 is { } md5 && !string.Equals(md5, hashes.Md5, StringComparison.Ordinal))
        {
            throw GcsException.BadRequest(
                $"Provided MD5 hash \"{md5}\" doesn't match calculated MD5 hash \"{hashes.Md5}\".");
        }

        if (write.ExpectedCrc32c is { } crc && !string.Equals(crc, hashes.Crc32c, StringComparison.Ordinal))
        {
            throw GcsException.BadRequest(
                $"Provided CRC32C \"{crc}\" doesn't match calculated CRC32C \"{hashes.Crc32c}\".");
        }

        var state = GetBucketState(bucket);
        var staged = _persistence.Stage(data);
        var committed = false;
        try
        {
            lock (state.Sync)
            {
                if (state.Deleted)
                {
                    throw GcsException.BucketNotFound(bucket);
                }

                var slot = state.Slot(write.Name);
                var live = slot?.Live;
                CheckMutation(live, pre);
                var now = Now();
                if (write.Retention is not null)
                {
                    RequireObjectRetention(state.Meta);
                }

                if (live is not null && !state.Meta.VersioningEnabled)
                {
                    // Without versioning a new generation destroys the old one: that is a replace, refused while retained.
                    CheckRetention(live, now);
                }

                AcquireGate(bucket, write.Name);
                var meta = new ObjectMeta
                {
                    Bucket = bucket,
                    Name = write.Name,
                    Generation = _clock.Next(),
                    Metageneration = 1,
                    ContentType = write.ContentType,
                    ContentEncoding = write.ContentEncoding,
                    ContentDisposition = write.ContentDisposition,
                    ContentLanguage = write.ContentLanguage,
                    CacheControl = write.CacheControl,
                    CustomTime = write.CustomTime,
                    Metadata = write.Metadata,
                    Size = data.LongLength,
                    Md5Hash = md5Known ? hashes.Md5 : null,
                    Crc32c = hashes.Crc32c,
                    TimeCreated = now,
                    Updated = now,
                    StorageClass = write.StorageClass ?? ObjectFields.Str(state.Meta.Fields, "storageClass") ?? "STANDARD",
                    ComponentCount = componentCount,
                    KmsKeyName = write.KmsKeyName ?? DefaultKmsKey(state.Meta),
                    TemporaryHold = write.TemporaryHold,
                    EventBasedHold = write.EventBasedHold,
                    Retention = write.Retention,
                };
                _persistence.Commit(staged, meta);
                Interlocked.Increment(ref _mutations);
                committed = true;
                slot ??= state.GetOrAddSlot(write.Name);
                slot.Live = meta;
                Raise(ObjectEventTypes.Finalize, state, meta, now, overwrote: live?.Generation);
                if (live is not null)
                {
                    RetireLive(state, slot, live, now, meta.Generation);
                }

                return meta;
            }
        }
        finally
        {
            if (!committed)
            {
                _persistence.Discard(staged);
            }
        }
    }

    /// <summary>Moves a replaced or deleted live generation out: noncurrent with versioning, gone without.</summary>
    private void RetireLive(BucketState state, ObjectSlot slot, ObjectMeta live, DateTimeOffset now, long? overwrittenBy)
    {
        if (state.Meta.VersioningEnabled)
        {
            var archived = live with { TimeDeleted = now };
            _persistence.WriteMeta(archived);
            Interlocked.Increment(ref _mutations);
            slot.Noncurrent.Add(archived);
            Raise(ObjectEventTypes.Archive, state, archived, now, overwrittenBy: overwrittenBy);
        }
        else
        {
            _persistence.DeleteGeneration(live);
            Interlocked.Increment(ref _mutations);
            Raise(ObjectEventTypes.Delete, state, live, now, overwrittenBy: overwrittenBy);
        }
    }

    /// <summary>A generation a retention still protects cannot be deleted or replaced (403 retentionPolicyNotMet).</summary>
    private static void CheckRetention(ObjectMeta meta, DateTimeOffset now)
    {
        if (meta.Retention is { } retention && retention.Holds(now))
        {
            throw GcsException.RetentionNotMet(meta.Bucket, meta.Name, retention.RetainUntil);
        }
    }

    private static void RequireObjectRetention(BucketMeta bucket)
    {
        if (!(bucket.Fields["objectRetention"] is JsonObject o && ObjectFields.Str(o, "mode") == "Enabled"))
        {
            throw GcsException.BadRequest(
                $"Object retention is not enabled on bucket {bucket.Name}: it can only be enabled when the bucket is created (enableObjectRetention=true).");
        }
    }

    /// <summary>
    /// A retention change: setting or extending is allowed; shortening, removing, or Unlocked → Locked needs
    /// <c>overrideUnlockedRetention=true</c> on an Unlocked configuration and is never allowed on a Locked one.
    /// </summary>
    private static void CheckRetentionChange(BucketMeta bucket, ObjectMeta current, ObjectRetention? next, bool overrideUnlocked, DateTimeOffset now)
    {
        var old = current.Retention;
        if (next is not null && next != old)
        {
            RequireObjectRetention(bucket);
        }

        if (old is null || old == next || !old.Holds(now))
        {
            return;
        }

        var weakens = next is null || next.RetainUntil < old.RetainUntil || next.Mode != old.Mode;
        if (!weakens)
        {
            return;
        }

        if (old.IsLocked)
        {
            throw GcsException.RetentionChangeForbidden(
                $"Object '{current.Bucket}/{current.Name}' has a Locked retention until {ResourceTimestamp(old.RetainUntil)}: it can only be extended.");
        }

        if (!overrideUnlocked)
        {
            throw GcsException.RetentionChangeForbidden(
                $"Removing, shortening or locking the Unlocked retention of '{current.Bucket}/{current.Name}' requires overrideUnlockedRetention=true.");
        }
    }

    private static string ResourceTimestamp(DateTimeOffset t) => Api.ResourceJson.Timestamp(t);

    private static string? DefaultKmsKey(BucketMeta bucket) =>
        bucket.Fields["encryption"] is JsonObject e ? ObjectFields.Str(e, "defaultKmsKeyName") : null;

    /// <summary>objects.get: the live generation, or the given one; read preconditions (412 / 304).</summary>
    public ObjectMeta GetObject(string bucket, string name, long? generation, Preconditions pre)
    {
        ObjectNames.ValidateObjectName(name);
        var state = GetBucketState(bucket);
        lock (state.Sync)
        {
            var meta = Find(state, bucket, name, generation);
            CheckRead(meta, pre);
            return meta;
        }
    }

    private static ObjectMeta Find(BucketState state, string bucket, string name, long? generation)
    {
        var slot = state.Slot(name);
        var meta = generation is { } g ? slot?.Find(g) : slot?.Live;
        return meta ?? throw GcsException.ObjectNotFound(bucket, name, generation);
    }

    /// <summary>objects.patch / objects.update: bumps metageneration.</summary>
    public ObjectMeta UpdateObject(string bucket, string name, long? generation, JsonObject body, bool replace, Preconditions pre,
        bool overrideUnlockedRetention = false)
    {
        ObjectNames.ValidateObjectName(name);
        var state = GetBucketState(bucket);
        lock (state.Sync)
        {
            var current = Find(state, bucket, name, generation);
            CheckMutation(current, pre);
            var now = Now();
            var applied = ObjectFields.Apply(current, body, replace);
            CheckRetentionChange(state.Meta, current, applied.Retention, overrideUnlockedRetention, now);
            AcquireGate(bucket, name);
            var updated = applied with
            {
                Metageneration = current.Metageneration + 1,
                Updated = now,
            };
            _persistence.WriteMeta(updated);
            Interlocked.Increment(ref _mutations);
            var slot = state.Slot(name)!;
            if (ReferenceEquals(slot.Live, current))
            {
                slot.Live = updated;
                Raise(ObjectEventTypes.MetadataUpdate, state, updated, now);
            }
            else
            {
                slot.Noncurrent[slot.Noncurrent.IndexOf(current)] = updated;
            }

            return updated;
        }
    }

    /// <summary>objects.delete: the live generation (kept as noncurrent under versioning) or one given generation (gone).</summary>
    public void DeleteObject(string bucket, string name, long? generation, Preconditions pre)
    {
        ObjectNames.ValidateObjectName(name);
        var state = GetBucketState(bucket);
        lock (state.Sync)
        {
            var current = Find(state, bucket, name, generation);
            CheckMutation(current, pre);
            var now = Now();
            if (generation is not null || !state.Meta.VersioningEnabled)
            {
                // Deleting a generation is permanent and refused while retained; deleting the live version of a
                // versioned bucket only makes it noncurrent, which GCS allows (the generation keeps its retention).
                CheckRetention(current, now);
            }

            AcquireGate(bucket, name);
            var slot = state.Slot(name)!;
            if (generation is null)
            {
                slot.Live = null;
                RetireLive(state, slot, current, now, overwrittenBy: null);
            }
            else
            {
                _persistence.DeleteGeneration(current);
                Interlocked.Increment(ref _mutations);
                if (ReferenceEquals(slot.Live, current))
                {
                    slot.Live = null;
                }
                else
                {
                    slot.Noncurrent.Remove(current);
                }

                Raise(ObjectEventTypes.Delete, state, current, now);
            }

            state.RemoveIfEmpty(name);
        }
    }

    /// <summary>objects.copy / objects.rewrite: the destination gets the source bytes and (unless overridden) metadata.</summary>
    public ObjectMeta CopyObject(
        string sourceBucket, string sourceName, long? sourceGeneration, Preconditions sourcePre,
        string destinationBucket, string destinationName, JsonObject? destinationResource, Preconditions destinationPre)
    {
        ObjectNames.ValidateObjectName(sourceName);
        ObjectNames.ValidateObjectName(destinationName);
        GetBucketState(destinationBucket);
        var sourceState = GetBucketState(sourceBucket);
        ObjectMeta source;
        lock (sourceState.Sync)
        {
            source = Find(sourceState, sourceBucket, sourceName, sourceGeneration);
            CheckMutation(source, sourcePre);
        }

        var data = ReadData(source);
        var write = new ObjectWrite
        {
            Name = destinationName,
            ContentType = source.ContentType,
            ContentEncoding = source.ContentEncoding,
            ContentDisposition = source.ContentDisposition,
            ContentLanguage = source.ContentLanguage,
            CacheControl = source.CacheControl,
            CustomTime = source.CustomTime,
            Metadata = source.Metadata,
        };
        if (destinationResource is { Count: > 0 })
        {
            var given = ObjectFields.ToWrite(destinationResource, destinationName);
            write = given with
            {
                ContentType = given.ContentType ?? write.ContentType,
                ContentEncoding = given.ContentEncoding ?? write.ContentEncoding,
                ContentDisposition = given.ContentDisposition ?? write.ContentDisposition,
                ContentLanguage = given.ContentLanguage ?? write.ContentLanguage,
                CacheControl = given.CacheControl ?? write.CacheControl,
                CustomTime = given.CustomTime ?? write.CustomTime,
                Metadata = given.Metadata ?? write.Metadata,
                ExpectedMd5 = null,
                ExpectedCrc32c = null,
            };
        }

        return PutObject(
            destinationBucket, write, data, destinationPre, (source.Md5Hash ?? Hash(data).Md5, source.Crc32c),
            source.ComponentCount, md5Known: source.Md5Hash is not null);
    }

    /// <summary>objects.compose: concatenates up to 32 sources of the same bucket into the destination.</summary>
    public ObjectMeta ComposeObject(string bucket, string destinationName, IReadOnlyList<ComposeSource> sources, JsonObject? destination, Preconditions pre)
    {
        ObjectNames.ValidateObjectName(destinationName);
        if (sources.Count is 0 or > 32)
        {
            throw GcsException.BadRequest("The number of source components provided must be between 1 and 32.");
        }

        var state = GetBucketState(bucket);
        var parts = new List<ObjectMeta>(sources.Count);
        lock (state.Sync)
        {
            foreach (var source in sources)
            {
                ObjectNames.ValidateObjectName(source.Name);
                var meta = Find(state, bucket, source.Name, source.Generation);
                if (source.IfGenerationMatch is { } g && meta.Generation != g)
                {
                    throw GcsException.PreconditionFailed();
                }

                parts.Add(meta);
            }
        }

        using var buffer = new MemoryStream();
        uint crc = 0;
        var components = 0;
        foreach (var part in parts)
        {
            var bytes = ReadData(part);
            buffer.Write(bytes);
            crc = Crc32C.Append(crc, bytes);
            components += part.ComponentCount ?? 1;
        }

        if (components > 1024)
        {
            throw GcsException.BadRequest("The composite object would exceed the component count limit of 1024.");
        }

        var write = ObjectFields.ToWrite(destination, destinationName) with { ExpectedMd5 = null, ExpectedCrc32c = null };
        var data = buffer.ToArray();
        return PutObject(bucket, write, data, pre, (string.Empty, Crc32C.ToBase64(crc)), components, md5Known: false);
    }
}
