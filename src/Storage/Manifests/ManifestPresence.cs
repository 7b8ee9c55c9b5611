using System.Collections.Concurrent;
using System.Diagnostics;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Manifests;

/// <summary>
/// Whether a kind's manifest has an <c>_index.ndjson</c>, i.e. whether writers must leave change markers. "Yes" is
/// kept for the life of the process (an index is only ever replaced); "no" for <see cref="ManifestChangeOptions.AbsentIndexTtl"/>
/// on the monotonic clock, which is the bound compaction relies on (docs/storage-model.md "Manifests: shards + changes").
/// </summary>
public sealed class ManifestPresence
{
    private readonly ConcurrentDictionary<string, long> _absentSince = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _present = new(StringComparer.Ordinal);

    public async Task<bool> HasIndexAsync(IObjectStore store, string bucket, string env, EntityKind kind, TimeSpan absentTtl, CancellationToken cancellationToken)
    {
        var name = ObjectPaths.ManifestIndex(env, kind);
        var key = bucket + "/" + name;
        if (_present.ContainsKey(key))
        {
            return true;
        }

        if (_absentSince.TryGetValue(key, out var since) && Stopwatch.GetElapsedTime(since) < absentTtl)
        {
            return false;
        }

        // Taken before the read: the "no" is then at least as old as the answer it rests on.
        var asked = Stopwatch.GetTimestamp();
        if (await store.GetInfoAsync(bucket, name, cancellationToken) is not null)
        {
            _present[key] = true;
            _absentSince.TryRemove(key, out _);
            return true;
        }

        _absentSince[key] = asked;
        return false;
    }
}
