using System.Text.Json.Nodes;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Manifests;

/// <summary>
/// Step 3 (§5): upsert the entity's own manifest entry object <c>manifests/{prefix}/entries/{id}.json</c>
/// (one line: <c>{"ptr","id","updated_at",…display}</c>), preconditioned on the generation read, tagged with the
/// generation of the snapshot it was derived from; an entry from a newer snapshot is left alone
/// (docs/reliability.md, "Manifest entries"). No shared object is touched per write. Once the kind has been compacted,
/// each entry write is followed by a change marker (<see cref="ManifestChanges"/>).
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

    /// <summary>Upsert without knowing the snapshot's generation (updated_at decides; see the overload).</summary>
    public Task<bool> UpsertEntryAsync(EntityTarget target, JsonObject snapshot, CancellationToken cancellationToken = default) =>
        UpsertEntryAsync(target, snapshot, 0, cancellationToken);

    /// <summary>Entry object metadata: the generation of the snapshot the entry was derived from.</summary>
    public const string SnapshotGenerationMetadataKey = "ecco-snapshot-generation";

    /// <param name="snapshotGeneration">Generation of <paramref name="snapshot"/>. Known (the write path): the entry
    /// only moves forward in snapshot generation, which GCS keeps increasing for an object name, so an entry derived
    /// from a newer snapshot is never replaced by one from an older snapshot, whatever updated_at says (a compensation
    /// moves updated_at back). 0 = unknown: the updated_at rule below.</param>
    /// <returns>True when the entry object was written.</returns>
    public async Task<bool> UpsertEntryAsync(EntityTarget target, JsonObject snapshot, long snapshotGeneration, CancellationToken cancellationToken = default)
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
                var stored = SnapshotGenerationOf(existing.Info);
                if (existing.Content.Span.SequenceEqual(bytes) && stored >= snapshotGeneration)
                {
                    // Written already, perhaps by an attempt that stopped before its change marker.
                    await new ManifestChanges(context).MarkWrittenAsync(target, existing.Info, cancellationToken);
                    return false;
                }

                if (snapshotGeneration > 0)
                {
                    if (stored > snapshotGeneration)
                    {
                        return false;
                    }
                }
                else if (EnvelopeReader.TryGetUpdatedAt(JsonText.ParseObject(existing.Content.Span), out var oldAt))
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
                var written = await context.Store.PutAsync(bucket, name, bytes, PutOptions.Expecting(existing?.Generation) with { Metadata = Tag(snapshotGeneration) },
                    cancellationToken);
                await new ManifestChanges(context).MarkWrittenAsync(target, written, cancellationToken);
                return true;
            }
            catch (PreconditionFailedException) when (attempt < 16)
            {
            }
        }
    }

    /// <summary>The snapshot generation an entry object was derived from (0 when it does not say).</summary>
    public static long SnapshotGenerationOf(StoredObjectInfo entry) =>
        entry.Metadata.TryGetValue(SnapshotGenerationMetadataKey, out var text)
        && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var generation)
            ? generation
            : 0;

    internal static Dictionary<string, string>? Tag(long snapshotGeneration) => snapshotGeneration > 0
        ? new Dictionary<string, string> { [SnapshotGenerationMetadataKey] = snapshotGeneration.ToString(System.Globalization.CultureInfo.InvariantCulture) }
        : null;
}
