using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;

namespace EccoStudio.Storage.Erasure;

/// <summary>
/// Erasure of one entity's personal data (docs/recovery.md, "Erase"): every generation — live and noncurrent — of
/// its history objects, snapshot, manifest entry and index pointers (multi pointers by name; latest-mode pointers
/// whose stored generation names the id), and every generation of a manifest shard that lists it, after which the
/// kind's manifest is compacted again so the live listing stays whole for everyone else. Deleting one generation is
/// permanent (no noncurrent copy is left), so a later restore cannot bring the entity back. Idempotent: a re-run after
/// a crash finds what is left and removes it; other entities' objects are never deleted.
/// History under an object retention (§8 audit retention, docs/operations.md "History audit retention") stops the
/// erasure before anything is deleted (<see cref="ErasureBlockedException"/>): a Locked retention always, an Unlocked
/// one unless the caller asks to override it, in which case each retention is removed just before its generation.
/// </summary>
public sealed class EntityEraser(StorageContext context, IObjectVersions versions)
{
    public Task<ErasureReport> EraseAsync(EntityTarget target, CancellationToken cancellationToken = default) =>
        EraseAsync(target, overrideUnlockedRetention: false, cancellationToken);

    /// <exception cref="ErasureBlockedException">Retention protects some of the entity's generations; nothing was deleted.</exception>
    public async Task<ErasureReport> EraseAsync(EntityTarget target, bool overrideUnlockedRetention, CancellationToken cancellationToken = default)
    {
        var bucket = context.Bucket(target.Env);
        var removed = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var hold = await FindRetentionAsync(target, cancellationToken);
        if (hold.Locked.Count > 0 || (hold.Unlocked.Count > 0 && !overrideUnlockedRetention))
        {
            throw new ErasureBlockedException(target, hold);
        }

        async Task RemoveAsync(string category, StoredObjectInfo version, string recordedName)
        {
            if (version.Retention is { IsLocked: false } retention && retention.Holds(context.Clock.GetUtcNow()))
            {
                // Only reached with the override (checked above). GCS deletes no generation a retention still holds.
                await versions.RemoveRetentionAsync(bucket, version.Name, version.Generation, cancellationToken);
            }

            if (await versions.DeleteGenerationAsync(bucket, version.Name, version.Generation, cancellationToken))
            {
                removed[category] = (removed.TryGetValue(category, out var n) ? n : 0) + 1;
                names.Add(recordedName);
            }
        }

        foreach (var (category, name) in new[] { ("snapshot", ObjectPaths.Snapshot(target)), ("manifest_entry", ObjectPaths.ManifestEntry(target)) })
        {
            await foreach (var version in VersionsAsync(bucket, name, cancellationToken))
            {
                if (version.Name == name)
                {
                    await RemoveAsync(category, version, name);
                }
            }
        }

        foreach (var index in context.Indices.For(target.Kind))
        {
            var folder = ObjectPaths.IndexFolder(target.Env, target.Kind, index.Name);
            await foreach (var version in VersionsAsync(bucket, folder, cancellationToken))
            {
                var ours = index.Mode == IndexMode.Multi
                    ? version.Name.EndsWith("/" + target.Id + ".json", StringComparison.Ordinal)
                    : await NamesIdAsync(bucket, version, target.Id, cancellationToken);
                if (ours)
                {
                    await RemoveAsync("pointer", version, index.Mode == IndexMode.Multi ? $"{folder}*/{target.Id}.json" : $"{folder}*.json");
                }
            }
        }

        var shardsRewritten = 0;
        await foreach (var version in VersionsAsync(bucket, ObjectPaths.ManifestFolder(target.Env, target.Kind) + "shards/", cancellationToken))
        {
            if (await NamesIdAsync(bucket, version, target.Id, cancellationToken))
            {
                await RemoveAsync("manifest_shard", version, version.Name);
                shardsRewritten++;
            }
        }

        if (shardsRewritten > 0)
        {
            // The entity's shard lines are gone with the shards; a fresh compaction lists everyone else again.
            await new ManifestCompactor(context).CompactAsync(target.Env, target.Kind, cancellationToken);
        }

        // History last: until it is gone the entity is still found, so a re-run after a failure knows what to finish.
        await foreach (var version in VersionsAsync(bucket, ObjectPaths.HistoryPrefix(target), cancellationToken))
        {
            await RemoveAsync("history", version, version.Name);
        }

        return new ErasureReport(removed, [.. names], shardsRewritten);
    }

    /// <summary>
    /// The generations of the entity's history, snapshot and manifest entry that an object retention still protects
    /// now (the app sets retention on history only; the others are checked in case one was set by hand).
    /// </summary>
    public async Task<RetentionHold> FindRetentionAsync(EntityTarget target, CancellationToken cancellationToken = default)
    {
        var bucket = context.Bucket(target.Env);
        var now = context.Clock.GetUtcNow();
        var locked = new List<StoredObjectInfo>();
        var unlocked = new List<StoredObjectInfo>();
        foreach (var prefix in new[] { ObjectPaths.HistoryPrefix(target), ObjectPaths.Snapshot(target), ObjectPaths.ManifestEntry(target) })
        {
            await foreach (var version in VersionsAsync(bucket, prefix, cancellationToken))
            {
                if ((version.Name == prefix || prefix.EndsWith('/')) && version.Retention is { } retention && retention.Holds(now))
                {
                    (retention.IsLocked ? locked : unlocked).Add(version);
                }
            }
        }

        return new RetentionHold(locked, unlocked);
    }

    /// <summary>
    /// True when any generation of the entity's history, snapshot or manifest entry exists (something to erase).
    /// History is erased last, so an erasure interrupted before its end is still found here.
    /// </summary>
    public async Task<bool> HasObjectsAsync(EntityTarget target, CancellationToken cancellationToken = default)
    {
        var bucket = context.Bucket(target.Env);
        foreach (var prefix in new[] { ObjectPaths.HistoryPrefix(target), ObjectPaths.Snapshot(target), ObjectPaths.ManifestEntry(target) })
        {
            var page = await versions.ListVersionsAsync(bucket, prefix, null, 10, cancellationToken);
            if (page.Objects.Any(o => o.Name == prefix || prefix.EndsWith('/')))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the generation's content names the id (a pointer body, or a shard line).</summary>
    private async Task<bool> NamesIdAsync(string bucket, StoredObjectInfo version, string id, CancellationToken cancellationToken)
    {
        var stored = await context.Store.GetAsync(bucket, version.Name, version.Generation, cancellationToken);
        if (stored is null)
        {
            return false;
        }

        foreach (var line in Encoding.UTF8.GetString(stored.Content.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (JsonNode.Parse(line) is JsonObject item && EnvelopeReader.TryGetString(item, EnvelopeReader.Id) == id)
            {
                return true;
            }
        }

        return false;
    }

    private async IAsyncEnumerable<StoredObjectInfo> VersionsAsync(string bucket, string prefix,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Collect a page before deleting from it: deleting while paging would move the listing under the token.
        string? token = null;
        var all = new List<StoredObjectInfo>();
        do
        {
            var page = await versions.ListVersionsAsync(bucket, prefix, token, 1000, cancellationToken);
            all.AddRange(page.Objects);
            token = page.NextPageToken;
        }
        while (token is not null);

        foreach (var version in all)
        {
            yield return version;
        }
    }
}
