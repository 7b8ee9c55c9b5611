using System.Security.Cryptography;
using System.Text;
using EccoStudio.Storage.Layout;

namespace EccoStudio.Api.Writes;

/// <summary>
/// Instance ids of writes: <c>write:{env}:{prefix}:{id}:{suffix}</c>. With an <c>Idempotency-Key</c> the suffix is
/// <c>k</c> + 32 hex of SHA-256(env, prefix, id, key): a retried request maps to the same instance and the start is
/// deduplicated. Without one it is a fresh GUID. The readable head lets ops filter by <c>instanceIdPrefix</c>.
/// </summary>
public static class WriteInstanceIds
{
    public const string Prefix = "write:";

    public const int MaxIdempotencyKeyLength = 200;

    public static string For(EntityTarget target, string? idempotencyKey) =>
        $"{Head(target)}{(idempotencyKey is null ? Guid.NewGuid().ToString("N") : "k" + Hash(target, idempotencyKey))}";

    /// <summary>
    /// A delete of the entity: <c>write:{env}:{prefix}:{id}:d…</c> (same head, so ops see every change of the entity
    /// under one prefix; the key is hashed with the method so a PUT and a DELETE sharing a key stay distinct).
    /// </summary>
    public static string ForDelete(EntityTarget target, string? idempotencyKey) =>
        $"{Head(target)}d{(idempotencyKey is null ? Guid.NewGuid().ToString("N") : Hash(target, "DELETE\n" + idempotencyKey))}";

    /// <summary><c>write:{env}:{prefix}:{id}:</c> — every write of one entity starts with it.</summary>
    public static string Head(EntityTarget target) => $"{Prefix}{target.Env}:{target.Kind.Prefix}:{target.Id}:";

    /// <summary>True for 1..200 visible ASCII characters (what the header may carry).</summary>
    public static bool IsValidIdempotencyKey(string? key) =>
        !string.IsNullOrEmpty(key) && key.Length <= MaxIdempotencyKeyLength && key.All(c => c is >= '!' and <= '~');

    private static string Hash(EntityTarget target, string key)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{target.Env}\n{target.Kind.Prefix}\n{target.Id}\n{key}"));
        return Convert.ToHexStringLower(bytes)[..32];
    }
}
