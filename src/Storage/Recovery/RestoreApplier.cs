using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Recovery;

/// <summary>
/// Applies restore steps with preconditions, so a writer that changed an object after the plan was made is never
/// overwritten silently (the step reports <see cref="RestoreOutcome.Conflict"/>). Idempotent: after a crash the
/// re-run's plan finds the objects already copied equal to their generation of T (same bytes and metadata) and keeps them.
/// </summary>
public sealed class RestoreApplier(IObjectStore store, IObjectVersions versions)
{
    /// <summary>Restores the object in place: the live generation becomes (a copy of) the one of T, or goes.</summary>
    public async Task<RestoreOutcome> ApplyAsync(string bucket, RestoreStep step, CancellationToken cancellationToken = default)
    {
        try
        {
            switch (step.Action)
            {
                case RestoreAction.BringBack:
                    await versions.CopyGenerationAsync(bucket, step.Name, step.AsOf!.Generation, bucket, 0, cancellationToken);
                    return RestoreOutcome.Copied;
                case RestoreAction.Revert:
                    await versions.CopyGenerationAsync(bucket, step.Name, step.AsOf!.Generation, bucket, step.Live!.Generation, cancellationToken);
                    return RestoreOutcome.Copied;
                case RestoreAction.Remove:
                    return await store.DeleteAsync(bucket, step.Name, step.Live!.Generation, cancellationToken) ? RestoreOutcome.Removed : RestoreOutcome.Unchanged;
                default:
                    return RestoreOutcome.Unchanged;
            }
        }
        catch (PreconditionFailedException)
        {
            return RestoreOutcome.Conflict;
        }
    }

    /// <summary>
    /// Copies the generation of T into <paramref name="destinationBucket"/> under the same name (a DR drill): objects
    /// absent at T are not copied; a destination object that already holds the same bytes is kept.
    /// </summary>
    public async Task<RestoreOutcome> CopyToAsync(string bucket, RestoreStep step, string destinationBucket, CancellationToken cancellationToken = default)
    {
        if (step.AsOf is not { } source)
        {
            return RestoreOutcome.Unchanged;
        }

        var existing = await store.GetInfoAsync(destinationBucket, step.Name, cancellationToken);
        if (existing is not null && existing.SameContentAs(source))
        {
            return RestoreOutcome.Unchanged;
        }

        try
        {
            await versions.CopyGenerationAsync(bucket, step.Name, source.Generation, destinationBucket, existing?.Generation ?? 0, cancellationToken);
            return RestoreOutcome.Copied;
        }
        catch (PreconditionFailedException)
        {
            return RestoreOutcome.Conflict;
        }
    }
}
