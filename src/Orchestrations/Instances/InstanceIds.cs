using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EccoStudio.Storage.Layout;

namespace EccoStudio.Orchestrations.Instances;

/// <summary>
/// Every orchestration instance id the system starts, in one place. The readable heads let ops filter by
/// <c>instanceIdPrefix</c>; the tails make a retried or replayed start map to the same id, so the deduplicated start
/// (<see cref="DurableTaskClientStartExtensions"/>) runs each unit of work at most once.
/// <list type="bullet">
/// <item>write: <c>write:{env}:{prefix}:{id}:{suffix}</c>; with an <c>Idempotency-Key</c> the suffix is <c>k</c> + 32 hex of
/// SHA-256(env, prefix, id, key), else a fresh GUID; a delete: the same head, then <c>d</c> + the hash of the key with
/// the method.</item>
/// <item>reconcile: <c>reconcile:{env}:{entity}:{id}:{trigger}</c> (trigger: <c>gcs-</c> + hash of the changed object
/// for the Pub/Sub bridge, <c>verify-{run}-{round}</c> for the verify command, <c>manual</c> when none).</item>
/// <item>compaction: <c>compact:{env}:{entity}</c> for the eternal instance, <c>compact:{env}:{entity}:{yyyyMMddHH}</c>
/// for the hourly timer (a timer firing twice in an hour starts each at most once).</item>
/// <item>batch item: <c>{batch instance}:{index}</c>.</item>
/// <item>migration: <c>migrate:{env}:{prefix}:v{to}</c> (one per env, kind and target version: asking again while it
/// runs finds it; a restarted host continues it); its pages <c>{migration}:{run}:p{n}</c> and its compaction
/// <c>{migration}:{run}:compact</c>, run = a ULID fixed when the run starts (a failed run started again gets new ones).</item>
/// <item>erase: <c>erase:{env}:{prefix}:{id}:{suffix}</c>; suffix as for writes (<c>k</c> + hash of the
/// <c>Idempotency-Key</c>, else a fresh GUID), so a retried request finds the erasure it started.</item>
/// </list>
/// </summary>
public static class InstanceIds
{
    public const string WritePrefix = "write:";

    public const string ReconcilePrefix = "reconcile:";

    public const string CompactionPrefix = "compact:";

    public const string ErasePrefix = "erase:";

    public const string MigrationPrefix = "migrate:";

    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>The instance of one write request (<paramref name="idempotencyKey"/> null: a new instance every time).</summary>
    public static string Write(EntityTarget target, string? idempotencyKey) =>
        $"{WriteHead(target)}{(idempotencyKey is null ? Guid.NewGuid().ToString("N") : "k" + Hash($"{target.Env}\n{target.Kind.Prefix}\n{target.Id}\n{idempotencyKey}"))}";

    /// <summary>
    /// A delete of the entity: <c>write:{env}:{prefix}:{id}:d…</c> (same head, so ops see every change of the entity
    /// under one prefix; the key is hashed with the method so a PUT and a DELETE sharing a key stay distinct).
    /// </summary>
    public static string Delete(EntityTarget target, string? idempotencyKey) =>
        $"{WriteHead(target)}d{(idempotencyKey is null ? Guid.NewGuid().ToString("N") : Hash($"{target.Env}\n{target.Kind.Prefix}\n{target.Id}\nDELETE\n{idempotencyKey}"))}";

    /// <summary><c>write:{env}:{prefix}:{id}:</c> — every write of one entity starts with it.</summary>
    public static string WriteHead(EntityTarget target) => $"{WritePrefix}{target.Env}:{target.Kind.Prefix}:{target.Id}:";

    /// <summary>True for 1..200 visible ASCII characters (what the header may carry).</summary>
    public static bool IsValidIdempotencyKey(string? key) =>
        !string.IsNullOrEmpty(key) && key.Length <= MaxIdempotencyKeyLength && key.All(c => c is >= '!' and <= '~');

    /// <summary>A reconcile of one entity caused by <paramref name="trigger"/> (null = manual).</summary>
    public static string Reconcile(string env, string entity, string id, string? trigger) =>
        $"{ReconcilePrefix}{env}:{entity}:{id}:{trigger ?? "manual"}";

    /// <summary>A reconcile started by a change notification: every delivery of one object change maps to the same id.</summary>
    public static string ReconcileForChange(EntityTarget target, string objectName, long? generation)
    {
        var text = objectName + "#" + (generation?.ToString(CultureInfo.InvariantCulture) ?? "-");
        return Reconcile(target.Env, target.Kind.Name, target.Id, "gcs-" + Hash(text));
    }

    /// <summary>A reconcile started by round <paramref name="round"/> of verify run <paramref name="run"/>.</summary>
    public static string ReconcileForVerify(EntityTarget target, string run, int round) =>
        Reconcile(target.Env, target.Kind.Name, target.Id, $"verify-{run}-{round}");

    /// <summary>The eternal compaction instance of one env + entity.</summary>
    public static string Compaction(string env, string entity) => $"{CompactionPrefix}{env}:{entity}";

    /// <summary>The compaction a timer starts for the hour of <paramref name="at"/>.</summary>
    public static string HourlyCompaction(string env, string entity, DateTimeOffset at) =>
        $"{Compaction(env, entity)}:{at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture)}";

    /// <summary>An erasure of the entity's personal data (<paramref name="idempotencyKey"/> null: a new instance every time).</summary>
    public static string Erase(EntityTarget target, string? idempotencyKey) =>
        $"{ErasePrefix}{target.Env}:{target.Kind.Prefix}:{target.Id}:" +
        (idempotencyKey is null ? Guid.NewGuid().ToString("N") : "k" + Hash($"{target.Env}\n{target.Kind.Prefix}\n{target.Id}\nERASE\n{idempotencyKey}"));

    /// <summary>The migration of every <paramref name="kind"/> snapshot in <paramref name="env"/> to <paramref name="to"/>.</summary>
    public static string Migration(string env, Storage.Catalog.EntityKind kind, string to) => $"{MigrationPrefix}{env}:{kind.Prefix}:v{to}";

    /// <summary>Page <paramref name="page"/> of run <paramref name="run"/> of a migration.</summary>
    public static string MigrationPage(string migrationInstanceId, string run, int page) =>
        string.Create(CultureInfo.InvariantCulture, $"{migrationInstanceId}:{run}:p{page:D5}");

    /// <summary>The manifest compaction that ends run <paramref name="run"/> of a migration.</summary>
    public static string MigrationCompaction(string migrationInstanceId, string run) => $"{migrationInstanceId}:{run}:compact";

    /// <summary>The sub-orchestration of item <paramref name="index"/> of a batch.</summary>
    public static string BatchItem(string batchInstanceId, int index) => $"{batchInstanceId}:{index}";

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
