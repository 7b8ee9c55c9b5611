using System.Security.Cryptography;
using System.Text;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Staging;

/// <summary>
/// A reference to bytes staged in GCS, carried through the engine instead of the bytes (claim check,
/// docs/security.md "Personal data and the engine"): the object, the generation written, and the SHA-256 (hex) of
/// its bytes. Reading it back by generation gives exactly the bytes staged, whatever happened to the name since.
/// </summary>
public sealed record StagedDocument(string ObjectName, long Generation, string Sha256);

/// <summary>
/// Staging under <c>env/{env}/tmp/</c>: create-only puts of bytes whose name the caller derives from the bytes (and
/// from who stages them), reads by generation checked against the SHA-256, and discards of exactly that generation.
/// The provisioned lifecycle deletes whatever is left under <c>tmp/</c> after a day (docs/operations.md "Lifecycle").
/// </summary>
public sealed class StagedObjects(StorageContext context)
{
    /// <summary>SHA-256 of <paramref name="bytes"/>, 64 lower-case hex characters.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// A staging key bound to one owner (an orchestration instance) and the bytes: the same owner staging the same
    /// bytes again names the same object (idempotent); two owners never share one, so one owner's discard cannot
    /// take bytes another still needs.
    /// </summary>
    public static string Key(string owner, string sha256) => Sha256(Encoding.UTF8.GetBytes($"{owner}\n{sha256}"));

    /// <summary>Creates <paramref name="name"/> with <paramref name="bytes"/>; when it exists with the same bytes (a retried stage) refers to that.</summary>
    public async Task<StagedDocument> StageAsync(string env, string name, byte[] bytes, CancellationToken cancellationToken = default)
    {
        var bucket = context.Bucket(env);
        var sha = Sha256(bytes);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var info = await context.Store.PutAsync(bucket, name, bytes, PutOptions.CreateOnly, cancellationToken);
                return new StagedDocument(name, info.Generation, sha);
            }
            catch (PreconditionFailedException) when (attempt < 2)
            {
                var existing = await context.Store.GetAsync(bucket, name, null, cancellationToken);
                if (existing is not null)
                {
                    return existing.Content.Span.SequenceEqual(bytes)
                        ? new StagedDocument(name, existing.Generation, sha)
                        : throw new StagedDocumentException(name, "already holds other bytes");
                }

                // Discarded between the two calls: stage again.
            }
        }
    }

    /// <summary>The staged bytes; null when that generation is gone (discarded, or cleared by the lifecycle).</summary>
    public async Task<byte[]?> ReadAsync(string env, StagedDocument staged, CancellationToken cancellationToken = default)
    {
        var stored = await context.Store.GetAsync(context.Bucket(env), staged.ObjectName, staged.Generation, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        var bytes = stored.Content.ToArray();
        return Sha256(bytes) == staged.Sha256 ? bytes : throw new StagedDocumentException(staged.ObjectName, "does not hold the bytes that were staged");
    }

    /// <summary>
    /// Deletes the staged generation for good: on a versioned bucket no noncurrent copy stays behind (the bytes may
    /// be personal data). False when it was already gone.
    /// </summary>
    public async Task<bool> DiscardAsync(string env, StagedDocument staged, CancellationToken cancellationToken = default)
    {
        var bucket = context.Bucket(env);
        if (context.Store is IObjectVersions versions)
        {
            return await versions.DeleteGenerationAsync(bucket, staged.ObjectName, staged.Generation, cancellationToken);
        }

        try
        {
            return await context.Store.DeleteAsync(bucket, staged.ObjectName, staged.Generation, cancellationToken);
        }
        catch (PreconditionFailedException)
        {
            return false;
        }
    }
}
