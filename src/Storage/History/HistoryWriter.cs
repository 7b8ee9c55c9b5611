using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;

namespace EccoStudio.Storage.History;

/// <summary>
/// Step 1 (§5): append the history object create-only (ifGenerationMatch=0). The name derives from the caller's
/// inputs (updated_at + ULID), so a retry targets the same object: 412 with identical bytes = already done;
/// 412 with different bytes = <see cref="WriteConflictException"/>. Who wrote the change is kept in the object's
/// metadata (<see cref="WrittenByMetadataKey"/>), so the audit trail lives beside the record without changing its bytes.
/// </summary>
public sealed class HistoryWriter(StorageContext context)
{
    /// <summary>Object metadata key (<c>x-goog-meta-ecco-written-by</c>) naming the author of a history record.</summary>
    public const string WrittenByMetadataKey = "ecco-written-by";

    /// <returns>True when this call created the object, false when an identical one was already there.</returns>
    public async Task<bool> AppendAsync(PreparedChange change, CancellationToken cancellationToken = default) =>
        await AppendAsync(change, writtenBy: null, cancellationToken);

    /// <returns>True when this call created the object, false when an identical one was already there.</returns>
    public async Task<bool> AppendAsync(PreparedChange change, string? writtenBy, CancellationToken cancellationToken = default)
    {
        var bucket = context.Bucket(change.Target.Env);
        var options = string.IsNullOrEmpty(writtenBy)
            ? PutOptions.CreateOnly
            : PutOptions.CreateOnly with { Metadata = new Dictionary<string, string> { [WrittenByMetadataKey] = writtenBy } };
        if (context.HistoryRetention is { } retention)
        {
            // Audit retention (§8, docs/operations.md): set at creation, so no moment exists where the record is unprotected.
            options = options with { Retention = retention.From(context.Clock.GetUtcNow()) };
        }

        try
        {
            await context.Store.PutAsync(bucket, change.ObjectName, change.Bytes, options, cancellationToken);
            return true;
        }
        catch (PreconditionFailedException)
        {
            var existing = await context.Store.GetAsync(bucket, change.ObjectName, null, cancellationToken);
            if (existing is not null && existing.Content.Span.SequenceEqual(change.Bytes))
            {
                return false;
            }

            throw new WriteConflictException(change.ObjectName);
        }
    }
}
