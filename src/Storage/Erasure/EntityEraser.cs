using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Erasure;

/// <summary>
/// Erasure of one entity's personal data (docs/recovery.md, "Erase"): every generation — live and noncurrent — of
/// its history objects, snapshot, manifest entry and index pointers (multi pointers by name; latest-mode pointers
/// whose stored generation names the id), and every generation of a manifest shard that lists it, after which the
/// kind's manifest is compacted again so the live listing stays whole for everyone else. Deleting one generation is
/// permanent (no noncurrent copy is left), so a later restore cannot bring the entity back. Idempotent: a re-run after
/// a crash finds what is left and removes it; other entities' objects are never deleted.
/// The work is split into <see cref="Steps"/> run in that order (<see cref="EraseStepAsync"/>; the erase orchestration
/// runs each as an activity, the CLI all at once with <see cref="EraseAsync"/>), and <see cref="InventoryAsync"/> counts
/// what the steps would remove without removing anything.
/// History under an object retention (§8 audit retention, docs/operations.md "History audit retention") stops the
/// erasure before anything is deleted (<see cref="CheckRetentionAsync"/>, <see cref="ErasureBlockedException"/>): a
/// Locked retention always, an Unlocked one unless the caller asks to override it, in which case each retention is
/// removed just before its generation is deleted.
/// </summary>
public sealed class EntityEraser(StorageContext context, IObjectVersions versions)
{
    /// <summary>Snapshot and manifest entry (every generation).</summary>
    public const string SnapshotStep = "snapshot";

    /// <summary>Index pointers naming the id.</summary>
    public const string IndicesStep = "indices";

    /// <summary>Manifest shards listing the id, then a compaction so everyone else is listed again.</summary>
    public const string ManifestStep = "manifest";

    /// <summary>History: until it is gone the entity is still found, so a re-run after a failure knows what to finish.</summary>
    public const string HistoryStep = "history";

    /// <summary>
    /// Snapshot, entry, pointers and shards once more, after history is gone: a reconcile that ran between the first
    /// steps and the history step (verify --repair, a host's startup recovery) rebuilt them from the history that was
    /// still there. With history gone nothing rebuilds them again.
    /// </summary>
    public const string SweepStep = "sweep";

    /// <summary>The steps in the order they must run (the manifest entry goes before the shards are compacted again, history before the sweep).</summary>
    public static IReadOnlyList<string> Steps { get; } = [SnapshotStep, IndicesStep, ManifestStep, HistoryStep, SweepStep];

    public Task<ErasureReport> EraseAsync(EntityTarget target, CancellationToken cancellationToken = default) =>
        EraseAsync(target, overrideUnlockedRetention: false, cancellationToken);

    /// <exception cref="ErasureBlockedException">Retention protects some of the entity's generations; nothing was deleted.</exception>
    public async Task<ErasureReport> EraseAsync(EntityTarget target, bool overrideUnlockedRetention, CancellationToken cancellationToken = default)
    {
        await CheckRetentionAsync(target, overrideUnlockedRetention, cancellationToken);
        var report = ErasureReport.Empty;
        foreach (var step in Steps)
        {
            report = report.Merge(await EraseStepAsync(target, step, overrideUnlockedRetention, cancellationToken));
        }

        return report;
    }

    /// <summary>Removes what one step covers (idempotent: what an earlier attempt removed is simply not found again).</summary>
    public Task<ErasureReport> EraseStepAsync(EntityTarget target, string step, CancellationToken cancellationToken = default) =>
        EraseStepAsync(target, step, overrideUnlockedRetention: false, cancellationToken);

    /// <summary>As above; with <paramref name="overrideUnlockedRetention"/> an Unlocked retention is removed before its generation is deleted.</summary>
    public Task<ErasureReport> EraseStepAsync(EntityTarget target, string step, bool overrideUnlockedRetention, CancellationToken cancellationToken = default) =>
        RunStepAsync(target, step, remove: true, overrideUnlockedRetention, cancellationToken);

    /// <summary>
    /// Throws <see cref="ErasureBlockedException"/> when retention protects some of the entity's generations now: a
    /// Locked one, or an Unlocked one without <paramref name="overrideUnlockedRetention"/>. Call before deleting anything.
    /// </summary>
    public async Task CheckRetentionAsync(EntityTarget target, bool overrideUnlockedRetention, CancellationToken cancellationToken = default)
    {
        var hold = await FindRetentionAsync(target, cancellationToken);
        if (hold.Locked.Count > 0 || (hold.Unlocked.Count > 0 && !overrideUnlockedRetention))
        {
            throw new ErasureBlockedException(target, hold);
        }
    }

    /// <summary>Every generation the steps would remove now, by category and name; removes nothing.</summary>
    public async Task<ErasureReport> InventoryAsync(EntityTarget target, CancellationToken cancellationToken = default)
    {
        var report = ErasureReport.Empty;
        foreach (var step in Steps)
        {
            report = report.Merge(await RunStepAsync(target, step, remove: false, overrideUnlockedRetention: false, cancellationToken));
        }

        return report;
    }

    private async Task<ErasureReport> RunStepAsync(EntityTarget target, string step, bool remove, bool overrideUnlockedRetention, CancellationToken cancellationToken)
    {
        if (step == SweepStep)
        {
            // The inventory has counted these already (its first three steps); only a removal runs them twice.
            var swept = ErasureReport.Empty;
            foreach (var again in new[] { SnapshotStep, IndicesStep, ManifestStep })
            {
                swept = swept.Merge(remove ? await RunStepAsync(target, again, remove, overrideUnlockedRetention, cancellationToken) : ErasureReport.Empty);
            }

            return swept;
        }

        var bucket = context.Bucket(target.Env);
        var removed = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var shardsRewritten = 0;

        async Task<bool> RemoveAsync(string category, StoredObjectInfo version, string recordedName)
        {
            if (remove && overrideUnlockedRetention && version.Retention is { IsLocked: false } retention && retention.Holds(context.Clock.GetUtcNow()))
            {
                // GCS deletes no generation a retention still holds; an Unlocked one is lifted first (asked for explicitly).
                await versions.RemoveRetentionAsync(bucket, version.Name, version.Generation, cancellationToken);
            }

            if (!remove || await versions.DeleteGenerationAsync(bucket, version.Name, version.Generation, cancellationToken))
            {
                removed[category] = (removed.TryGetValue(category, out var n) ? n : 0) + 1;
                names.Add(recordedName);
                return true;
            }

            return false;
        }

        switch (step)
        {
            case SnapshotStep:
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

                break;

            case IndicesStep:
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

                break;

            case ManifestStep:
                // Change markers carry the id in their name; compaction keeps changes/ to about two compaction intervals.
                await foreach (var version in VersionsAsync(bucket, ObjectPaths.ManifestChangesPrefix(target.Env, target.Kind), cancellationToken))
                {
                    if (ObjectNameParser.TryParse(version.Name) is { Category: ObjectCategory.ManifestChange } parsed && parsed.Id == target.Id)
                    {
                        await RemoveAsync("manifest_change", version, version.Name);
                    }
                }

                await foreach (var version in VersionsAsync(bucket, ObjectPaths.ManifestFolder(target.Env, target.Kind) + "shards/", cancellationToken))
                {
                    if (await NamesIdAsync(bucket, version, target.Id, cancellationToken) && await RemoveAsync("manifest_shard", version, version.Name))
                    {
                        shardsRewritten++;
                    }
                }

                if (remove)
                {
                    // The entity's shard lines are gone with the shards; a fresh compaction lists everyone else again. Asked
                    // of the entry point rather than of this attempt's count, so a retry after a crash between the
                    // deletes and the compaction still compacts.
                    await new ManifestCompactor(context).RepairMissingShardsAsync(target.Env, target.Kind, cancellationToken);
                }

                break;

            case HistoryStep:
                await foreach (var version in VersionsAsync(bucket, ObjectPaths.HistoryPrefix(target), cancellationToken))
                {
                    await RemoveAsync("history", version, version.Name);
                }

                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(step), step, $"not an erasure step ({string.Join(", ", Steps)})");
        }

        return new ErasureReport(removed, [.. names], shardsRewritten);
    }

    /// <summary>The refusal when <see cref="HasObjectsAsync"/> finds nothing (same words for the CLI, HTTP and the orchestration).</summary>
    public static string NothingToErase(EntityTarget target) => $"{target} has no objects (unknown id, wrong entity, or already erased).";

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
