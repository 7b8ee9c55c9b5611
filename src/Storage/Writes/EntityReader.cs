using System.Globalization;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Snapshots;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Writes;

/// <summary>Reads: snapshot (+generation), history (newest first, paged), fold as of a time, index queries.</summary>
public sealed class EntityReader(StorageContext context)
{
    public Task<SnapshotState?> GetSnapshotAsync(EntityTarget target, CancellationToken cancellationToken = default) =>
        GetSnapshotAsync(target, null, cancellationToken);

    /// <summary>
    /// The snapshot as one generation held it (versioning keeps replaced generations as noncurrent versions), or the
    /// live one when <paramref name="generation"/> is null; null when that generation is gone (an unversioned bucket,
    /// or the lifecycle removed it) or there is no snapshot.
    /// </summary>
    public async Task<SnapshotState?> GetSnapshotAsync(EntityTarget target, long? generation, CancellationToken cancellationToken = default)
    {
        var stored = await context.Store.GetAsync(context.Bucket(target.Env), ObjectPaths.Snapshot(target), generation, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        HistoryKey? last = stored.Info.Metadata.TryGetValue(StorageContext.LastAppliedMetadataKey, out var text) && HistoryKey.TryParse(text, out var key)
            ? key
            : null;
        return new SnapshotState(JsonText.ParseObject(stored.Content.Span), stored.Generation, last)
        {
            Metageneration = stored.Info.Metageneration,
            Pending = PendingPointers.Parse(stored.Info.Metadata),
        };
    }

    /// <summary>All history object names of the entity, oldest first (object names sort chronologically).</summary>
    public async Task<IReadOnlyList<string>> ListHistoryNamesAsync(EntityTarget target, CancellationToken cancellationToken = default)
    {
        var objects = await context.Store.ListAllAsync(context.Bucket(target.Env), ObjectPaths.HistoryPrefix(target), cancellationToken);
        return objects.Select(o => o.Name).Where(n => ObjectNameParser.TryParse(n)?.Category == ObjectCategory.History).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>History newest first; <paramref name="pageToken"/> is the opaque token of the previous page.</summary>
    public async Task<HistoryPage> ListHistoryAsync(EntityTarget target, int pageSize = 50, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        var names = (await ListHistoryNamesAsync(target, cancellationToken)).Reverse().ToList();
        var skip = pageToken is null ? 0 : int.Parse(pageToken, CultureInfo.InvariantCulture);
        var page = names.Skip(skip).Take(pageSize).ToList();
        var records = new List<(string, HistoryRecord)>();
        foreach (var name in page)
        {
            records.Add((name, await ReadRecordAsync(target.Env, name, cancellationToken)));
        }

        var next = skip + page.Count < names.Count ? (skip + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        return new HistoryPage(records, next);
    }

    public async Task<IReadOnlyList<HistoryRecord>> ReadAllHistoryAsync(EntityTarget target, CancellationToken cancellationToken = default) =>
        await ReadRecordsAsync(target.Env, await ListHistoryNamesAsync(target, cancellationToken), cancellationToken);

    /// <summary>The history records of <paramref name="names"/> (as listed), in that order.</summary>
    public async Task<IReadOnlyList<HistoryRecord>> ReadRecordsAsync(string env, IReadOnlyList<string> names, CancellationToken cancellationToken = default)
    {
        var records = new List<HistoryRecord>();
        foreach (var name in names)
        {
            records.Add(await ReadRecordAsync(env, name, cancellationToken));
        }

        return records;
    }

    /// <summary>The entity as it was at <paramref name="asOf"/> (fold of records with updated_at ≤ asOf), at its kind's latest schema version.</summary>
    public async Task<FoldResult> FoldAsOfAsync(EntityTarget target, DateTimeOffset? asOf, CancellationToken cancellationToken = default) =>
        HistoryFold.Fold(await ReadAllHistoryAsync(target, cancellationToken), asOf, context.Chain(target.Kind));

    /// <summary>Pointer objects under an index key (multi) or the single pointer (latest mode).</summary>
    public async Task<IReadOnlyList<JsonObject>> QueryIndexAsync(string env, IndexDefinition index, string key, CancellationToken cancellationToken = default)
    {
        var bucket = context.Bucket(env);
        if (index.Mode == IndexMode.Latest)
        {
            var single = await context.Store.GetAsync(bucket, ObjectPaths.IndexSinglePointer(env, index.Kind, index.Name, key), null, cancellationToken);
            return single is null ? [] : [JsonText.ParseObject(single.Content.Span)];
        }

        var prefix = ObjectPaths.IndexFolder(env, index.Kind, index.Name) + Naming.Identifiers.ValidateIndexKey(key) + "/";
        var result = new List<JsonObject>();
        foreach (var info in await context.Store.ListAllAsync(bucket, prefix, cancellationToken))
        {
            var stored = await context.Store.GetAsync(bucket, info.Name, null, cancellationToken);
            if (stored is not null)
            {
                result.Add(JsonText.ParseObject(stored.Content.Span));
            }
        }

        return result;
    }

    /// <summary>
    /// An index query whose items all agree with the snapshots they name (docs/reliability.md, "Index reads"): each
    /// pointer's entity snapshot is read and the pointer it implies for this index and key computed; a pointer whose
    /// entity no longer has the key (or has no snapshot) is left out, one with other display fields is served as the
    /// snapshot gives it. Both are returned as disagreements for repair. One snapshot read per pointer.
    /// </summary>
    public async Task<CheckedIndexQuery> QueryIndexCheckedAsync(string env, IndexDefinition index, string key, CancellationToken cancellationToken = default)
    {
        var planner = new IndexPlanner(context.Indices);
        var items = new List<JsonObject>();
        var disagreements = new List<IndexDisagreement>();
        foreach (var (name, pointer) in await ReadPointersAsync(env, index, key, cancellationToken))
        {
            var id = Envelope.EnvelopeReader.TryGetString(pointer, "id");
            if (id is null || !Naming.Identifiers.IsValidId(id))
            {
                continue;
            }

            var target = new EntityTarget(env, index.Kind, id);
            var snapshot = await GetSnapshotAsync(target, cancellationToken);
            var expected = snapshot is null ? null : planner.AllPointers(target, snapshot.Document).FirstOrDefault(p => p.ObjectName == name);
            if (expected is null)
            {
                disagreements.Add(new IndexDisagreement(target, name, IndexDisagreementKind.WrongKey));
            }
            else if (!IndexPlanner.SameExceptUpdatedAt(pointer, expected.Body))
            {
                disagreements.Add(new IndexDisagreement(target, name, IndexDisagreementKind.Stale));
                items.Add(expected.Body);
            }
            else
            {
                items.Add(pointer);
            }
        }

        return new CheckedIndexQuery(items, disagreements);
    }

    /// <summary>Pointer objects under an index key (multi) or the single pointer (latest mode), with their object names.</summary>
    private async Task<IReadOnlyList<(string Name, JsonObject Pointer)>> ReadPointersAsync(string env, IndexDefinition index, string key, CancellationToken cancellationToken)
    {
        var bucket = context.Bucket(env);
        var names = index.Mode == IndexMode.Latest
            ? [ObjectPaths.IndexSinglePointer(env, index.Kind, index.Name, key)]
            : (await context.Store.ListAllAsync(bucket, ObjectPaths.IndexFolder(env, index.Kind, index.Name) + Naming.Identifiers.ValidateIndexKey(key) + "/", cancellationToken))
                .Select(i => i.Name).ToList();
        var result = new List<(string, JsonObject)>();
        foreach (var name in names)
        {
            var stored = await context.Store.GetAsync(bucket, name, null, cancellationToken);
            if (stored is not null)
            {
                result.Add((name, JsonText.ParseObject(stored.Content.Span)));
            }
        }

        return result;
    }

    private async Task<HistoryRecord> ReadRecordAsync(string env, string name, CancellationToken cancellationToken)
    {
        var parsed = ObjectNameParser.Parse(name);
        var stored = await context.Store.GetAsync(context.Bucket(env), name, null, cancellationToken)
            ?? throw new InvalidOperationException($"History object {name} vanished (history is append-only).");
        return HistoryRecord.FromBody(JsonText.ParseObject(stored.Content.Span), parsed.HistoryUlid!.Value);
    }
}

/// <summary>An index query's items (each agreeing with its snapshot) and the pointers that did not.</summary>
public sealed record CheckedIndexQuery(IReadOnlyList<JsonObject> Items, IReadOnlyList<IndexDisagreement> Disagreements);

/// <summary>A stored pointer that disagrees with the snapshot of the entity it names.</summary>
public sealed record IndexDisagreement(EntityTarget Target, string PointerName, IndexDisagreementKind Kind);

/// <summary>How a pointer disagrees with its snapshot.</summary>
public enum IndexDisagreementKind
{
    /// <summary>The entity no longer has the pointer's key (or has no snapshot): the pointer is left out of results.</summary>
    WrongKey,

    /// <summary>Same key, other display fields: served as the snapshot gives it.</summary>
    Stale,
}
