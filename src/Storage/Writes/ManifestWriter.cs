using System.Text.Json.Nodes;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Writes;

/// <summary>
/// Step 3 (§5): upsert the entity's own manifest entry object <c>manifests/{prefix}/entries/{id}.json</c>
/// (one line: <c>{"ptr","id","updated_at",…display}</c>), preconditioned on the generation read, then re-checked
/// against the stored snapshot: whoever writes an entry of a state that is no longer the snapshot's finds out
/// afterwards and makes it match (docs/reliability.md, "Manifest entries"). No shared object is touched per write.
/// </summary>
public sealed class ManifestWriter(StorageContext context)
{
    public static readonly string[] DisplayFields = ["status", "title", "name", "lead", "ventureId", "stage"];

    public static JsonObject Entry(EntityTarget target, JsonObject snapshot)
    {
        var entry = new JsonObject
        {
            ["ptr"] = ObjectPaths.Snapshot(target),
            ["id"] = target.Id,
            ["updated_at"] = snapshot[EnvelopeReader.UpdatedAt]?.DeepClone(),
        };
        foreach (var field in DisplayFields)
        {
            if (snapshot[field] is JsonValue v)
            {
                entry[field] = v.DeepClone();
            }
        }

        return entry;
    }

    /// <returns>True when the entry object was written.</returns>
    public async Task<bool> UpsertEntryAsync(EntityTarget target, JsonObject snapshot, CancellationToken cancellationToken = default)
    {
        var bucket = context.Bucket(target.Env);
        var name = ObjectPaths.ManifestEntry(target);
        var bytes = JsonText.ToBytes(Entry(target, snapshot));
        var wrote = false;
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var existing = await context.Store.GetAsync(bucket, name, null, cancellationToken);
            if (existing is not null && existing.Content.Span.SequenceEqual(bytes))
            {
                break;
            }

            try
            {
                await context.Store.PutAsync(bucket, name, bytes, PutOptions.Expecting(existing?.Generation), cancellationToken);
                wrote = true;
                break;
            }
            catch (PreconditionFailedException)
            {
            }
        }

        // The write's snapshot is only a hint: if the stored snapshot (now) gives another entry, another writer, a
        // rebuild or a compensation moved it, and the entry is made to match it (re-checked until it holds).
        var current = await new EntityReader(context).GetSnapshotAsync(target, cancellationToken);
        if (current is not null && JsonText.ToBytes(Entry(target, current.Document)).AsSpan().SequenceEqual(bytes))
        {
            return wrote;
        }

        return await new ManifestEntryRestorer(context).EnsureMatchesSnapshotAsync(target, cancellationToken) || wrote;
    }
}
