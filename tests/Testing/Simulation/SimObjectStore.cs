using System.Globalization;
using EccoStudio.Storage.Store;

namespace EccoStudio.Testing.Simulation;

/// <summary>
/// An in-memory <see cref="IObjectStore"/> with GCS semantics that matter to the write protocol: a generation per
/// object write (never reused), a metageneration per metadata change, <c>ifGenerationMatch</c> (0 = create only) and
/// <c>ifMetagenerationMatch</c> preconditions (412 → <see cref="PreconditionFailedException"/>), strongly consistent
/// listing with prefix, delimiter and paging. With a <see cref="SimScheduler"/> every call is parked until the
/// scheduler runs it (and may fail it); <see cref="Direct"/> is the same objects without scheduling (set-up, checks).
/// </summary>
public sealed class SimObjectStore : IObjectStore
{
    private readonly SortedDictionary<string, SimObject> _objects;
    private readonly SimScheduler? _scheduler;
    private readonly Counter _generations;

    public SimObjectStore(SimScheduler? scheduler = null)
        : this(new SortedDictionary<string, SimObject>(StringComparer.Ordinal), scheduler, new Counter())
    {
    }

    private SimObjectStore(SortedDictionary<string, SimObject> objects, SimScheduler? scheduler, Counter generations)
    {
        _objects = objects;
        _scheduler = scheduler;
        _generations = generations;
    }

    /// <summary>The same objects, every call executed at once and without faults.</summary>
    public SimObjectStore Direct => new(_objects, null, _generations);

    /// <summary>Names of the live objects under <paramref name="prefix"/>.</summary>
    public IReadOnlyList<string> Names(string prefix = "") => _objects.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    public Task<StoredObject?> GetAsync(string bucket, string name, long? generation = null, CancellationToken cancellationToken = default) =>
        Call($"GET {name}", true, () =>
        {
            if (!_objects.TryGetValue(Key(bucket, name), out var o) || (generation is not null && generation != o.Generation))
            {
                return null;
            }

            return new StoredObject(o.Info(bucket, name), o.Content);
        }, r => r is null ? "absent" : Gen(r.Generation));

    public Task<StoredObjectInfo?> GetInfoAsync(string bucket, string name, CancellationToken cancellationToken = default) =>
        Call($"INFO {name}", true, () => _objects.TryGetValue(Key(bucket, name), out var o) ? o.Info(bucket, name) : null,
            r => r is null ? "absent" : Gen(r.Generation));

    public Task<StoredObjectInfo> PutAsync(string bucket, string name, ReadOnlyMemory<byte> content, PutOptions options, CancellationToken cancellationToken = default)
    {
        var bytes = content.ToArray();
        var metadata = options.Metadata is null ? new Dictionary<string, string>() : new Dictionary<string, string>(options.Metadata);
        return Call($"PUT {name} if-gen={options.IfGenerationMatch?.ToString(CultureInfo.InvariantCulture) ?? "-"}", options.IsPreconditioned, () =>
        {
            var key = Key(bucket, name);
            _objects.TryGetValue(key, out var existing);
            Check(bucket, name, existing, options.IfGenerationMatch, options.IfMetagenerationMatch);
            var written = new SimObject(bytes, _generations.Next(), 1, metadata);
            _objects[key] = written;
            return written.Info(bucket, name);
        }, r => "wrote " + Gen(r.Generation));
    }

    public Task<StoredObjectInfo> SetMetadataAsync(string bucket, string name, IReadOnlyDictionary<string, string> metadata, long ifMetagenerationMatch,
        long? ifGenerationMatch = null, CancellationToken cancellationToken = default)
    {
        var copy = new Dictionary<string, string>(metadata);
        return Call($"PATCH-META {name} if-gen={ifGenerationMatch?.ToString(CultureInfo.InvariantCulture) ?? "-"} if-metagen={ifMetagenerationMatch}", true, () =>
        {
            var key = Key(bucket, name);
            if (!_objects.TryGetValue(key, out var existing))
            {
                throw new PreconditionFailedException(bucket, name, null, ifMetagenerationMatch);
            }

            Check(bucket, name, existing, ifGenerationMatch, ifMetagenerationMatch);
            var merged = new Dictionary<string, string>(existing.Metadata);
            foreach (var (k, v) in copy)
            {
                merged[k] = v;
            }

            var patched = existing with { Metageneration = existing.Metageneration + 1, Metadata = merged };
            _objects[key] = patched;
            return patched.Info(bucket, name);
        }, r => $"patched {Gen(r.Generation)}.{r.Metageneration}");
    }

    public Task<bool> DeleteAsync(string bucket, string name, long? ifGenerationMatch, CancellationToken cancellationToken = default) =>
        Call($"DELETE {name} if-gen={ifGenerationMatch?.ToString(CultureInfo.InvariantCulture) ?? "-"}", ifGenerationMatch is not null, () =>
        {
            var key = Key(bucket, name);
            if (!_objects.TryGetValue(key, out var existing))
            {
                return false;
            }

            Check(bucket, name, existing, ifGenerationMatch, null);
            _objects.Remove(key);
            return true;
        }, r => r ? "deleted" : "absent");

    public Task<ObjectPage> ListAsync(string bucket, string prefix, string? delimiter = null, string? pageToken = null, int? pageSize = null,
        CancellationToken cancellationToken = default) =>
        List(bucket, prefix, delimiter, null, null, pageToken, pageSize);

    public Task<ObjectPage> ListRangeAsync(string bucket, string prefix, string? startOffset, string? endOffset, string? pageToken = null, int? pageSize = null,
        CancellationToken cancellationToken = default) =>
        List(bucket, prefix, null, startOffset, endOffset, pageToken, pageSize);

    private Task<ObjectPage> List(string bucket, string prefix, string? delimiter, string? startOffset, string? endOffset, string? pageToken, int? pageSize) =>
        Call($"LIST {prefix}", true, () =>
        {
            var size = pageSize ?? 1000;
            var objects = new List<StoredObjectInfo>();
            var prefixes = new SortedSet<string>(StringComparer.Ordinal);
            string? next = null;
            var start = bucket + "/" + prefix;
            foreach (var (key, o) in _objects)
            {
                if (!key.StartsWith(start, StringComparison.Ordinal))
                {
                    continue;
                }

                var name = key[(bucket.Length + 1)..];
                if (pageToken is not null && string.CompareOrdinal(name, pageToken) <= 0)
                {
                    continue;
                }

                if ((startOffset is not null && string.CompareOrdinal(name, startOffset) < 0) || (endOffset is not null && string.CompareOrdinal(name, endOffset) >= 0))
                {
                    continue;
                }

                if (objects.Count + prefixes.Count >= size)
                {
                    next = objects.Count > 0 ? objects[^1].Name : prefixes.Max;
                    break;
                }

                var cut = delimiter is null ? -1 : name.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
                if (cut >= 0)
                {
                    prefixes.Add(name[..(cut + delimiter!.Length)]);
                }
                else
                {
                    objects.Add(o.Info(bucket, name));
                }
            }

            return new ObjectPage(objects, prefixes.ToList(), next);
        }, r => $"{r.Objects.Count} object(s), {r.Prefixes.Count} prefix(es)");

    private static string Key(string bucket, string name) => bucket + "/" + name;

    private static string Gen(long generation) => "g" + generation.ToString(CultureInfo.InvariantCulture);

    private static void Check(string bucket, string name, SimObject? existing, long? ifGeneration, long? ifMetageneration)
    {
        var generationOk = ifGeneration is null || (ifGeneration == 0 ? existing is null : existing?.Generation == ifGeneration);
        var metagenerationOk = ifMetageneration is null || existing?.Metageneration == ifMetageneration;
        if (!generationOk || !metagenerationOk)
        {
            throw new PreconditionFailedException(bucket, name, ifGeneration, ifMetageneration);
        }
    }

    private Task<T> Call<T>(string what, bool storeRetries, Func<T> effect, Func<T, string> describe)
    {
        if (_scheduler is null)
        {
            try
            {
                return Task.FromResult(effect());
            }
            catch (PreconditionFailedException e)
            {
                return Task.FromException<T>(e);
            }
        }

        return _scheduler.CallAsync(what, storeRetries, effect, describe);
    }

    private sealed record SimObject(byte[] Content, long Generation, long Metageneration, IReadOnlyDictionary<string, string> Metadata)
    {
        public StoredObjectInfo Info(string bucket, string name) =>
            new(bucket, name, Generation, Metageneration, Content.Length, null, null, new Dictionary<string, string>(Metadata));
    }

    private sealed class Counter
    {
        private long _value = 1000;

        public long Next() => ++_value;
    }
}
