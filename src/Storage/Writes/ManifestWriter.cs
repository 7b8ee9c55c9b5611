using System.Text.Json.Nodes;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Writes;

/// <summary>
/// Step 3 (§5): upsert the entity's own manifest entry object <c>manifests/{prefix}/entries/{id}.json</c>
/// (one line: <c>{"ptr","id","updated_at",…display}</c>), preconditioned on the generation read; an entry with a
/// newer updated_at is left alone; one with the same updated_at but other content is made to match the stored
/// snapshot (a rebuild folded a late change in without moving updated_at). No shared object is touched per write.
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
        var entry = Entry(target, snapshot);
        var bytes = JsonText.ToBytes(entry);
        EnvelopeReader.TryGetUpdatedAt(snapshot, out var updatedAt);
        for (var attempt = 0; ; attempt++)
        {
            var existing = await context.Store.GetAsync(bucket, name, null, cancellationToken);
            if (existing is not null)
            {
                var old = JsonText.ParseObject(existing.Content.Span);
                if (existing.Content.Span.SequenceEqual(bytes))
                {
                    return false;
                }

                if (EnvelopeReader.TryGetUpdatedAt(old, out var oldAt))
                {
                    if (oldAt > updatedAt)
                    {
                        return false;
                    }

                    if (oldAt == updatedAt)
                    {
                        // Same updated_at, different content: a late change was folded in by a rebuild, which keeps
                        // updated_at. Which of the two is current only the stored snapshot can tell.
                        return await new ManifestEntryRestorer(context).EnsureMatchesSnapshotAsync(target, cancellationToken);
                    }
                }
            }

            try
            {
                await context.Store.PutAsync(bucket, name, bytes, PutOptions.Expecting(existing?.Generation), cancellationToken);
                return true;
            }
            catch (PreconditionFailedException) when (attempt < 16)
            {
            }
        }
    }
}
