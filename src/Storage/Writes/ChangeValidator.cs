using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Migrations;
using EccoStudio.Storage.Rules;

namespace EccoStudio.Storage.Writes;

/// <summary>
/// Everything checked before a byte is written: id/env (by <see cref="EntityTarget"/>), entity, envelope match,
/// schema_version has a schema, schema validity (of the document, or of the current snapshot with the patch
/// applied), index keys, and for rules what a schema cannot say (<see cref="RuleValidator"/>: the named webhook, template limits). Returns the exact bytes to store (schema_version normalised, compact JSON).
/// </summary>
public sealed class ChangeValidator(StorageContext context)
{
    public async Task<PreparedChange> PrepareAsync(EntityTarget target, JsonObject document, Ulid ulid, ChangeKind change = ChangeKind.Full,
        CancellationToken cancellationToken = default)
    {
        var body = Strip(document);
        var chain = context.Chain(target.Kind);
        JsonObject resulting;
        if (change == ChangeKind.MergePatch)
        {
            // What the fold will make of it (HistoryFold.Step): the patch read through the migrations from the
            // version it names, applied to the snapshot at the latest version.
            var current = await new EntityReader(context).GetSnapshotAsync(target, cancellationToken);
            if (EnvelopeReader.TryGetString(body, EnvelopeReader.SchemaVersionField) is { } named)
            {
                EnsureOnChain(target, chain, named);
            }

            resulting = current is null
                ? chain.Migrate((JsonObject)JsonMergePatch.Apply(null, body)!)
                : (JsonObject)JsonMergePatch.Apply(chain.Migrate(current.Document), chain.MigratePatch(body))!;
        }
        else if (change == ChangeKind.Full)
        {
            resulting = body;
        }
        else
        {
            throw new ArgumentException("Compensation records are written with PrepareCompensation.", nameof(change));
        }

        var envelope = EnvelopeReader.Read(resulting, target);
        var schema = await context.Schemas.GetAsync(target.Env, target.Kind, envelope.SchemaVersion, cancellationToken);
        EnvelopeReader.Normalise(resulting, envelope);
        schema.EnsureValid(resulting);
        if (change == ChangeKind.Full && !chain.IsEmpty)
        {
            // Accepted in the version it names and stored as sent; the snapshot will hold it migrated to the latest
            // version, which must be valid there too (a migration that cannot carry a valid document is refused here,
            // before anything is written, rather than found by a fold).
            EnsureOnChain(target, chain, envelope.SchemaVersion.ToString());
            var migrated = chain.Migrate(resulting);
            if (!ReferenceEquals(migrated, resulting))
            {
                (await context.Schemas.GetAsync(target.Env, target.Kind, chain.Latest!.Value, cancellationToken)).EnsureValid(migrated);
                resulting = migrated;
            }
        }

        new IndexPlanner(context.Indices).ValidateKeys(target, resulting);
        if (target.Kind == EntityCatalog.Rule)
        {
            RuleValidator.EnsureValid(resulting, context.Webhooks);
        }

        if (EnvelopeReader.TryGetString(body, EnvelopeReader.SchemaVersionField) is { } namedVersion && SchemaVersion.TryParse(namedVersion, out var bodyVersion)
            && namedVersion != bodyVersion.ToString())
        {
            // The version the change names, normalised; it may differ from the resulting document's (a patch in an
            // older version applies to the snapshot at the latest one).
            body[EnvelopeReader.SchemaVersionField] = bodyVersion.ToString();
        }

        if (change == ChangeKind.MergePatch)
        {
            if (!EnvelopeReader.TryGetUpdatedAt(body, out _))
            {
                throw new EnvelopeException(EnvelopeReader.UpdatedAt, null, "a merge patch must carry updated_at");
            }

            body[HistoryRecord.ChangeMember] = PreparedChange.Marker(change);
        }

        var key = new HistoryKey(envelope.UpdatedAt, ulid);
        return new PreparedChange(target, key, change, body, JsonText.ToBytes(body), ObjectPaths.History(target, key));
    }

    /// <summary>
    /// The exact bytes <see cref="PrepareAsync"/> returns for a valid change, computed from the change alone (no
    /// validation, no I/O): the members the model owns dropped, <c>schema_version</c> in its normal form, a merge patch
    /// marked. A change is staged in this form (docs/reliability.md "Claim check"), so validation can confirm the staged
    /// bytes are the ones to store and the history step copies them as they are.
    /// </summary>
    public static byte[] StoredForm(JsonObject document, ChangeKind change)
    {
        var body = Strip(document);
        if (EnvelopeReader.TryGetString(body, EnvelopeReader.SchemaVersionField) is { } text && SchemaVersion.TryParse(text, out var version)
            && text != version.ToString())
        {
            body[EnvelopeReader.SchemaVersionField] = version.ToString();
        }

        if (change == ChangeKind.MergePatch)
        {
            body[HistoryRecord.ChangeMember] = PreparedChange.Marker(change);
        }

        return JsonText.ToBytes(body);
    }

    /// <summary>
    /// A kind with migrations takes only the versions on its chain: an older one the chain does not lead from would
    /// never reach the latest version, a newer one is unknown to the fold of this deployment.
    /// </summary>
    private static void EnsureOnChain(EntityTarget target, MigrationChain chain, string named)
    {
        if (chain.IsEmpty || !SchemaVersion.TryParse(named, out var version) || chain.Knows(version))
        {
            return;
        }

        throw new SchemaMigrationException(version > chain.Latest!.Value
            ? $"{target.Kind.Name} schema_version {version} is newer than {chain.Latest}, the latest version this deployment folds to."
            : $"{target.Kind.Name} schema_version {version} has no declared migration to {chain.Latest} (versions: {string.Join(", ", chain.Versions)}).");
    }

    private static JsonObject Strip(JsonObject document)
    {
        var body = JsonText.Clone(document);
        body.Remove(HistoryRecord.ChangeMember);
        body.Remove(HistoryRecord.CompensatesMember);
        return body;
    }

    /// <summary>
    /// The tombstone deleting the entity (<c>"_change":"delete"</c> with the envelope of its current snapshot).
    /// Throws <see cref="EntityNotFoundException"/> when there is no snapshot, and <see cref="EntityChangedException"/>
    /// when <paramref name="expectedGeneration"/> (If-Match) is not the snapshot's generation. The tombstone's
    /// updated_at is <paramref name="at"/>, or just after the snapshot's when that is later (a client clock ahead), so
    /// that it folds after the change it deletes.
    /// </summary>
    public async Task<PreparedChange> PrepareDeleteAsync(EntityTarget target, Ulid ulid, DateTimeOffset at, long? expectedGeneration,
        CancellationToken cancellationToken = default)
    {
        var current = await new EntityReader(context).GetSnapshotAsync(target, cancellationToken) ?? throw new EntityNotFoundException(target);
        if (expectedGeneration is { } expected && expected != current.Generation)
        {
            throw new EntityChangedException(target, expected, current.Generation);
        }

        var envelope = EnvelopeReader.Read(current.Document, target);
        var updatedAt = at > envelope.UpdatedAt ? at : envelope.UpdatedAt.AddMilliseconds(1);
        var body = HistoryRecord.TombstoneBody(envelope, updatedAt);
        var key = new HistoryKey(updatedAt, ulid);
        return new PreparedChange(target, key, ChangeKind.Delete, body, JsonText.ToBytes(body), ObjectPaths.History(target, key));
    }

    /// <summary>A compensation record cancelling <paramref name="compensated"/> (written with its own ULID).</summary>
    public static PreparedChange PrepareCompensation(EntityTarget target, EntityEnvelope envelope, DateTimeOffset at, Ulid ulid, Ulid compensated, string? reason)
    {
        var body = HistoryRecord.CompensationBody(envelope, at, compensated, reason);
        var key = new HistoryKey(at, ulid);
        return new PreparedChange(target, key, ChangeKind.Compensation, body, JsonText.ToBytes(body), ObjectPaths.History(target, key));
    }
}
