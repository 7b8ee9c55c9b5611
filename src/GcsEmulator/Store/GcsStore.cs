using System.Collections.Concurrent;
using System.Security.Cryptography;
using EccoStudio.GcsEmulator.Errors;
using EccoStudio.GcsEmulator.Faults;
using EccoStudio.GcsEmulator.Hashing;
using EccoStudio.GcsEmulator.Model;

namespace EccoStudio.GcsEmulator.Store;

/// <summary>
/// The emulator's storage logic, shared by the in-memory and the on-disk persistence: buckets, object
/// generations, preconditions, versioning, listing. Each bucket is guarded by its own lock; every mutation of an
/// object name passes the mutation gate and is reported to the change listener in commit order.
/// </summary>
public sealed partial class GcsStore : IDisposable
{
    private readonly IStorePersistence _persistence;
    private readonly IMutationGate _gate;
    private readonly IStoreChangeListener _listener;
    private readonly TimeProvider _time;
    private readonly GenerationClock _clock;
    private readonly ConcurrentDictionary<string, BucketState> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _bucketsSync = new();
    private long _mutations;

    public GcsStore(IStorePersistence persistence, IMutationGate gate, IStoreChangeListener listener, TimeProvider? time = null)
    {
        _persistence = persistence;
        _gate = gate;
        _listener = listener;
        _time = time ?? TimeProvider.System;
        var state = persistence.Load();
        var floor = state.GenerationFloor;
        foreach (var bucket in state.Buckets)
        {
            _buckets[bucket.Name] = new BucketState(bucket with { Fields = JsonTree.Materialize(bucket.Fields) });
        }

        foreach (var meta in state.Objects.OrderBy(m => m.Generation))
        {
            floor = Math.Max(floor, meta.Generation);
            if (_buckets.TryGetValue(meta.Bucket, out var b))
            {
                var slot = b.GetOrAddSlot(meta.Name);
                if (meta.TimeDeleted is null)
                {
                    if (slot.Live is { } older)
                    {
                        // A crash between committing the new generation and archiving the old one.
                        var archived = older with { TimeDeleted = meta.TimeCreated };
                        if (b.Meta.VersioningEnabled)
                        {
                            persistence.WriteMeta(archived);
                            slot.Noncurrent.Add(archived);
                        }
                        else
                        {
                            persistence.DeleteGeneration(older);
                        }
                    }

                    slot.Live = meta;
                }
                else
                {
                    slot.Noncurrent.Add(meta);
                }
            }
        }

        _clock = new GenerationClock(floor, _time, persistence.ReserveGenerations);
    }

    private DateTimeOffset Now()
    {
        // GCS timestamps carry milliseconds.
        var now = _time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    private BucketState GetBucketState(string bucket) =>
        _buckets.TryGetValue(bucket, out var state) && !state.Deleted ? state : throw GcsException.BucketNotFound(bucket);

    /// <summary>Drops every bucket and object (admin reset).</summary>
    public void Reset()
    {
        lock (_bucketsSync)
        {
            foreach (var state in _buckets.Values)
            {
                lock (state.Sync)
                {
                    state.Deleted = true;
                    state.Clear();
                }
            }

            _buckets.Clear();
            _persistence.Clear();
        }
    }

    /// <summary>
    /// How many changes were committed (objects written, archived, deleted or updated; buckets written or deleted) since
    /// the store started: equal before and after a request means that request changed nothing (tests check refused
    /// requests this way without listing the bucket).
    /// </summary>
    public long CommittedMutations => Interlocked.Read(ref _mutations);

    public byte[] ReadData(ObjectMeta meta) =>
        _persistence.ReadBlob(meta) ?? throw GcsException.ObjectNotFound(meta.Bucket, meta.Name, meta.Generation);

    internal static (string Md5, string Crc32c) Hash(byte[] data) =>
        (Convert.ToBase64String(MD5.HashData(data)), Crc32C.ToBase64(Crc32C.Compute(data)));

    private void Raise(string eventType, BucketState bucket, ObjectMeta meta, DateTimeOffset time, long? overwrote = null, long? overwrittenBy = null) =>
        _listener.OnCommitted(new StoreChange(eventType, meta, time, overwrote, overwrittenBy, bucket.Meta.Notifications));

    private void AcquireGate(string bucket, string name)
    {
        if (!_gate.TryAcquire(bucket, name))
        {
            throw GcsException.RateLimited(bucket, name);
        }
    }

    /// <summary>Preconditions of a mutation: every failure is 412.</summary>
    internal static void CheckMutation(ObjectMeta? current, Preconditions pre)
    {
        if (Violated(current, pre, out _))
        {
            throw GcsException.PreconditionFailed();
        }
    }

    /// <summary>Preconditions of a read: Match failures are 412, NotMatch failures are 304.</summary>
    internal static void CheckRead(ObjectMeta current, Preconditions pre)
    {
        if (Violated(current, pre, out var notModified))
        {
            throw notModified ? GcsException.NotModified() : GcsException.PreconditionFailed();
        }
    }

    private static bool Violated(ObjectMeta? current, Preconditions pre, out bool notModified)
    {
        notModified = false;
        if (pre.IfGenerationMatch is { } g)
        {
            var ok = g == 0 ? current is null : current is not null && current.Generation == g;
            if (!ok)
            {
                return true;
            }
        }

        if (pre.IfMetagenerationMatch is { } m && (current is null || current.Metageneration != m))
        {
            return true;
        }

        if (pre.IfGenerationNotMatch is { } gn)
        {
            var failed = gn == 0 ? current is null : current is not null && current.Generation == gn;
            if (failed)
            {
                notModified = current is not null;
                return true;
            }
        }

        if (pre.IfMetagenerationNotMatch is { } mn && current is not null && current.Metageneration == mn)
        {
            notModified = true;
            return true;
        }

        return false;
    }

    public void Dispose() => _persistence.Dispose();
}
