using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Writes;

/// <summary>
/// Step 1 (§5): append the history object create-only (ifGenerationMatch=0). The name derives from the caller's
/// inputs (updated_at + ULID), so a retry targets the same object: 412 with identical bytes = already done;
/// 412 with different bytes = <see cref="WriteConflictException"/>.
/// </summary>
public sealed class HistoryWriter(StorageContext context)
{
    /// <returns>True when this call created the object, false when an identical one was already there.</returns>
    public async Task<bool> AppendAsync(PreparedChange change, CancellationToken cancellationToken = default)
    {
        var bucket = context.Bucket(change.Target.Env);
        try
        {
            await context.Store.PutAsync(bucket, change.ObjectName, change.Bytes, PutOptions.CreateOnly, cancellationToken);
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
