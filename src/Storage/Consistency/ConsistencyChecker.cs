using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Naming;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;

namespace EccoStudio.Storage.Consistency;

/// <summary>
/// Checks that every derived object equals what history says. For each entity of the chosen kinds: the snapshot
/// equals the fold of its history (content and the <c>ecco-last-applied</c> key), its manifest entry object equals
/// the entry the fold gives, and every pointer the fold should have exists with the right body (latest-mode
/// pointers may be held by a later entity). Then three orphan passes: snapshots, manifest entries and pointers
/// naming an entity with no live history, and pointers under a key their entity no longer has.
/// <para>Streams: listings are read a page at a time (ids come from a delimiter listing of the kind's folder), one
/// entity's history is in memory at a time per worker, and what the orphan passes need from the entity pass is
/// kept in a bounded cache (a miss re-folds that entity). Read-only: it never writes.</para>
/// <para>On a live system an in-flight write shows as transient drift (history written, snapshot not yet); check a
/// quiescent system, or re-run and compare.</para>
/// </summary>
public sealed class ConsistencyChecker(StorageContext context, ConsistencyCheckOptions? options = null)
{
    private readonly ConsistencyCheckOptions _options = options ?? new ConsistencyCheckOptions();
    private readonly IndexPlanner _planner = new(context.Indices);

    /// <summary>Checks every entity of <paramref name="kinds"/> (all kinds when null) in <paramref name="env"/>.</summary>
    public async Task<ConsistencyReport> CheckAsync(string env, IReadOnlyList<EntityKind>? kinds = null, IProgress<CheckProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        Identifiers.ValidateEnvironment(env);
        var chosen = kinds ?? EntityCatalog.All;
        var report = new ReportBuilder(env, chosen.Select(k => k.Name).ToList(), _options);
        foreach (var kind in chosen)
        {
            var cache = new BoundedCache<ExpectedEntity>(_options.ExpectedCacheCapacity);
            var changes = await ChangeListingAsync(env, kind, cancellationToken);
            await Parallel.ForEachAsync(EntityIdsAsync(env, kind, cancellationToken),
                new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = cancellationToken },
                async (id, ct) =>
                {
                    var target = new EntityTarget(env, kind, id);
                    cache.Set(id, await CheckEntityAsync(target, changes, report, ct));
                    progress?.Report(new CheckProgress(kind.Name, "entities", report.EntitiesChecked, report.DriftedCount));
                });

            progress?.Report(new CheckProgress(kind.Name, "orphans", report.EntitiesChecked, report.DriftedCount));
            await OrphanObjectsAsync(env, kind, ObjectPaths.SnapshotPrefix(env, kind), DriftKind.SnapshotOrphan, cache, report, cancellationToken);
            await OrphanObjectsAsync(env, kind, ObjectPaths.ManifestEntriesPrefix(env, kind), DriftKind.ManifestEntryOrphan, cache, report, cancellationToken);
            progress?.Report(new CheckProgress(kind.Name, "pointers", report.EntitiesChecked, report.DriftedCount));
            foreach (var index in context.Indices.For(kind))
            {
                await ForeignPointersAsync(env, kind, index, cache, report, cancellationToken);
            }
        }

        return report.Build();
    }

    /// <summary>What history says the entity's objects must be.</summary>
    public async Task<ExpectedEntity> ExpectAsync(EntityTarget target, CancellationToken cancellationToken = default) =>
        (await ReadExpectedAsync(target, null, cancellationToken)).Expected;

    /// <summary>
    /// When the kind's index lists changes: its marker time and the ids its change markers name (one listing of
    /// <c>changes/</c>, which compaction keeps short). Null when readers list every entry.
    /// </summary>
    private async Task<ChangeListing?> ChangeListingAsync(string env, EntityKind kind, CancellationToken cancellationToken)
    {
        var header = ManifestIndexHeader.Parse(await context.Store.GetAsync(context.Bucket(env), ObjectPaths.ManifestIndex(env, kind), null, cancellationToken));
        return header.Changes is { } from
            ? new ChangeListing(from, (await new ManifestChanges(context).ChangedIdsAsync(env, kind, ObjectPaths.ManifestChangesPrefix(env, kind) + from, cancellationToken))
                .ToHashSet(StringComparer.Ordinal))
            : null;
    }

    private sealed record ChangeListing(string From, HashSet<string> Ids);

    private async Task<ExpectedEntity> CheckEntityAsync(EntityTarget target, ChangeListing? changes, ReportBuilder report, CancellationToken cancellationToken)
    {
        var (expected, _) = await ReadExpectedAsync(target, report, cancellationToken);
        report.Entity(expected.HistoryRecords);
        var bucket = context.Bucket(target.Env);

        var snapshot = await new EntityReader(context).GetSnapshotAsync(target, cancellationToken);
        report.Snapshot();
        var snapshotName = ObjectPaths.Snapshot(target);
        if (!expected.IsLive)
        {
            if (snapshot is not null)
            {
                report.Add(target, DriftKind.SnapshotOrphan, snapshotName, "a snapshot exists but history folds to nothing");
            }
        }
        else if (snapshot is null)
        {
            report.Add(target, DriftKind.SnapshotMissing, snapshotName, $"history folds to a document (last {expected.LastApplied}) but there is no snapshot");
        }
        else if (JsonDifference.FirstPointer(expected.Document, snapshot.Document) is { } where)
        {
            report.Add(target, DriftKind.SnapshotStale, snapshotName, $"differs from the fold of history at '{where}'");
        }
        else if (snapshot.LastApplied != expected.LastApplied)
        {
            report.Add(target, DriftKind.SnapshotStale, snapshotName,
                $"{StorageContext.LastAppliedMetadataKey} is {snapshot.LastApplied?.ToString() ?? "absent"}, history's last is {expected.LastApplied}");
        }

        var entryName = ObjectPaths.ManifestEntry(target);
        var entry = await context.Store.GetAsync(bucket, entryName, null, cancellationToken);
        report.Entry();
        if (!expected.IsLive)
        {
            if (entry is not null)
            {
                report.Add(target, DriftKind.ManifestEntryOrphan, entryName, "a manifest entry exists but history folds to nothing");
            }
        }
        else if (entry is null)
        {
            report.Add(target, DriftKind.ManifestEntryMissing, entryName, "no manifest entry");
        }
        else if (JsonDifference.FirstPointer(ManifestWriter.Entry(target, expected.Document!), Parse(entry.Content)) is { } where)
        {
            report.Add(target, DriftKind.ManifestEntryStale, entryName, $"differs from the entry the fold gives at '{where}'");
        }
        else if (changes is not null && entry.Info.Updated is { } written
            && string.CompareOrdinal(ObjectPaths.ManifestChangeTime(written), changes.From) >= 0 && !changes.Ids.Contains(target.Id))
        {
            report.Add(target, DriftKind.ManifestChangeMissing, entryName,
                $"written {Rfc3339.Format(written)}, after the manifest lists changes from ({changes.From}), but no change marker names it: listings miss it");
        }

        foreach (var pointer in expected.Pointers)
        {
            await CheckPointerAsync(target, pointer, report, cancellationToken);
        }

        return expected;
    }

    private async Task CheckPointerAsync(EntityTarget target, IndexPointer pointer, ReportBuilder report, CancellationToken cancellationToken)
    {
        report.Pointer();
        var stored = await context.Store.GetAsync(context.Bucket(target.Env), pointer.ObjectName, null, cancellationToken);
        if (stored is null)
        {
            report.Add(target, DriftKind.PointerMissing, pointer.ObjectName, $"index {pointer.Index.Name} key '{pointer.Key}' has no pointer");
            return;
        }

        var body = Parse(stored.Content);
        var holder = EnvelopeReader.TryGetString(body, "id");
        if (pointer.Index.Mode == IndexMode.Latest && holder != target.Id)
        {
            if (holder is null || !IsLater(pointer.Index, body, pointer.Body))
            {
                report.Add(target, DriftKind.PointerStale, pointer.ObjectName, $"latest pointer held by '{holder}', which is not later than this entity");
                return;
            }

            var other = new EntityTarget(target.Env, target.Kind, holder);
            if (!(await ExpectAsync(other, cancellationToken)).PointerNames.Contains(pointer.ObjectName))
            {
                report.Add(target, DriftKind.PointerStale, pointer.ObjectName, $"latest pointer held by '{holder}', which no longer has key '{pointer.Key}'");
            }

            return;
        }

        if (JsonDifference.FirstPointer(WithoutUpdatedAt(pointer.Body), WithoutUpdatedAt(body)) is { } where)
        {
            report.Add(target, DriftKind.PointerStale, pointer.ObjectName, $"pointer body differs at '{where}'");
        }
    }

    private async Task<(ExpectedEntity Expected, bool Unreadable)> ReadExpectedAsync(EntityTarget target, ReportBuilder? report, CancellationToken cancellationToken)
    {
        var bucket = context.Bucket(target.Env);
        var records = new List<HistoryRecord>();
        var names = 0;
        var unreadable = false;
        await foreach (var info in ListAsync(bucket, ObjectPaths.HistoryPrefix(target), null, cancellationToken))
        {
            var parsed = ObjectNameParser.TryParse(info.Name);
            if (parsed?.Category != ObjectCategory.History || parsed.HistoryUlid is not { } ulid)
            {
                continue;
            }

            names++;
            try
            {
                var stored = await context.Store.GetAsync(bucket, info.Name, null, cancellationToken)
                    ?? throw new InvalidOperationException("listed but gone (history is append-only)");
                records.Add(HistoryRecord.FromBody(Parse(stored.Content), ulid));
            }
            catch (Exception e) when (e is JsonException or StorageModelException or InvalidOperationException or FormatException)
            {
                unreadable = true;
                report?.Add(target, DriftKind.HistoryUnreadable, info.Name, e.Message);
            }
        }

        var fold = HistoryFold.Fold(records);
        var pointers = fold.Document is null ? [] : _planner.AllPointers(target, fold.Document);
        return (new ExpectedEntity(names > 0, names, fold.Document, fold.LastApplied, pointers), unreadable);
    }

    /// <summary>Objects under <paramref name="prefix"/> (<c>{id}.json</c>) whose entity has no live history.</summary>
    private async Task OrphanObjectsAsync(string env, EntityKind kind, string prefix, DriftKind drift, BoundedCache<ExpectedEntity> cache, ReportBuilder report,
        CancellationToken cancellationToken)
    {
        await foreach (var info in ListAsync(context.Bucket(env), prefix, "/", cancellationToken))
        {
            var file = info.Name[prefix.Length..];
            if (!file.EndsWith(".json", StringComparison.Ordinal) || ToTarget(env, kind, file[..^".json".Length]) is not { } target)
            {
                continue;
            }

            if (cache.TryGet(target.Id, out _))
            {
                continue; // checked in the entity pass (which reports orphans of entities that have history)
            }

            var expected = await ExpectAsync(target, cancellationToken);
            if (!expected.HasHistory)
            {
                report.Add(target, drift, info.Name, "no history exists for this entity");
            }
        }
    }

    /// <summary>Pointers naming an entity without live history, or under a key their entity no longer has.</summary>
    private async Task ForeignPointersAsync(string env, EntityKind kind, IndexDefinition index, BoundedCache<ExpectedEntity> cache, ReportBuilder report,
        CancellationToken cancellationToken)
    {
        var bucket = context.Bucket(env);
        var folder = ObjectPaths.IndexFolder(env, kind, index.Name);
        await foreach (var info in ListAsync(bucket, folder, null, cancellationToken))
        {
            string? id;
            if (index.Mode == IndexMode.Multi)
            {
                var slash = info.Name.LastIndexOf('/');
                id = info.Name.EndsWith(".json", StringComparison.Ordinal) && slash >= folder.Length ? info.Name[(slash + 1)..^".json".Length] : null;
            }
            else
            {
                var stored = await context.Store.GetAsync(bucket, info.Name, null, cancellationToken);
                id = stored is null ? null : EnvelopeReader.TryGetString(Parse(stored.Content), "id");
            }

            if (id is null || ToTarget(env, kind, id) is not { } target)
            {
                continue;
            }

            if (!cache.TryGet(target.Id, out var expected))
            {
                expected = await ExpectAsync(target, cancellationToken);
                cache.Set(target.Id, expected);
            }

            if (!expected.IsLive)
            {
                report.Add(target, DriftKind.PointerOrphan, info.Name, expected.HasHistory ? "the entity's history folds to nothing" : "no history exists for this entity");
            }
            else if (!expected.PointerNames.Contains(info.Name))
            {
                report.Add(target, DriftKind.PointerWrongKey, info.Name, $"index {index.Name}: the entity no longer has this key");
            }
        }
    }

    /// <summary>Entity ids of a kind: the common prefixes of <c>env/{env}/{prefix}/</c>, page by page.</summary>
    private async IAsyncEnumerable<string> EntityIdsAsync(string env, EntityKind kind, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var root = $"{ObjectPaths.EnvRoot(env)}{kind.Prefix}/";
        string? token = null;
        do
        {
            var page = await context.Store.ListAsync(context.Bucket(env), root, "/", token, _options.PageSize, cancellationToken);
            foreach (var prefix in page.Prefixes)
            {
                var id = prefix[root.Length..].TrimEnd('/');
                if (ToTarget(env, kind, id) is not null)
                {
                    yield return id;
                }
            }

            token = page.NextPageToken;
        }
        while (token is not null);
    }

    private async IAsyncEnumerable<StoredObjectInfo> ListAsync(string bucket, string prefix, string? delimiter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await context.Store.ListAsync(bucket, prefix, delimiter, token, _options.PageSize, cancellationToken);
            foreach (var info in page.Objects)
            {
                yield return info;
            }

            token = page.NextPageToken;
        }
        while (token is not null);
    }

    private static EntityTarget? ToTarget(string env, EntityKind kind, string id)
    {
        try
        {
            return new EntityTarget(env, kind, id);
        }
        catch (InvalidIdentifierException)
        {
            return null;
        }
    }

    private static JsonObject Parse(ReadOnlyMemory<byte> content) => JsonText.ParseObject(content.Span);

    private static JsonObject WithoutUpdatedAt(JsonObject body)
    {
        var copy = JsonText.Clone(body);
        copy.Remove(EnvelopeReader.UpdatedAt);
        return copy;
    }

    /// <summary>Same rule as the index writer: <paramref name="existing"/> is strictly later by the index's latest pointers.</summary>
    private static bool IsLater(IndexDefinition index, JsonObject existing, JsonObject candidate)
    {
        foreach (var pointer in index.Latest)
        {
            var field = pointer.TrimStart('/');
            var cmp = string.CompareOrdinal(Scalar(existing[field]), Scalar(candidate[field]));
            if (cmp != 0)
            {
                return cmp > 0;
            }
        }

        return false;
    }

    private static string? Scalar(JsonNode? node) => node is JsonValue v
        ? v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()
        : null;
}
