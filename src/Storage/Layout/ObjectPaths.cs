using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Naming;

namespace EccoStudio.Storage.Layout;

/// <summary>Object names of spec §2/§3.1 and the bucket each lives in.</summary>
public sealed class ObjectPaths(StorageLayoutOptions options)
{
    public ObjectPaths()
        : this(new StorageLayoutOptions())
    {
    }

    public StorageLayoutOptions Options => options;

    public string BucketFor(string env) => options.Mode == BucketMode.SingleBucket
        ? options.BucketName
        : options.PerEnvironmentBucketPattern.Replace("{env}", Identifiers.ValidateEnvironment(env), StringComparison.Ordinal);

    public static string EnvRoot(string env) => $"env/{Identifiers.ValidateEnvironment(env)}/";

    /// <summary><c>env/{env}/{prefix}/{id}/history/</c></summary>
    public static string HistoryPrefix(EntityTarget target) =>
        $"{EnvRoot(target.Env)}{target.Kind.Prefix}/{target.Id}/history/";

    /// <summary><c>env/{env}/{prefix}/{id}/history/{yyyy}/{mm}/{dd}/{tsZ}_{ulid}.json</c></summary>
    public static string History(EntityTarget target, HistoryKey key)
    {
        var utc = key.UpdatedAt.UtcDateTime;
        return $"{HistoryPrefix(target)}{utc:yyyy}/{utc:MM}/{utc:dd}/{key.FileStem}.json";
    }

    /// <summary><c>env/{env}/snapshots/{prefix}/{id}.json</c></summary>
    public static string Snapshot(EntityTarget target) =>
        $"{EnvRoot(target.Env)}snapshots/{target.Kind.Prefix}/{target.Id}.json";

    public static string SnapshotPrefix(string env, EntityKind kind) => $"{EnvRoot(env)}snapshots/{kind.Prefix}/";

    public static string ManifestFolder(string env, EntityKind kind) => $"{EnvRoot(env)}manifests/{kind.Prefix}/";

    /// <summary><c>env/{env}/manifests/{prefix}/_index.ndjson</c>: the entry point readers start from.</summary>
    public static string ManifestIndex(string env, EntityKind kind) => $"{ManifestFolder(env, kind)}_index.ndjson";

    public static string ManifestEntriesPrefix(string env, EntityKind kind) => $"{ManifestFolder(env, kind)}entries/";

    /// <summary><c>env/{env}/manifests/{prefix}/entries/{id}.json</c>: one small object per id.</summary>
    public static string ManifestEntry(EntityTarget target) =>
        $"{ManifestEntriesPrefix(target.Env, target.Kind)}{target.Id}.json";

    public static string ManifestChangesPrefix(string env, EntityKind kind) => $"{ManifestFolder(env, kind)}changes/";

    /// <summary>
    /// <c>env/{env}/manifests/{prefix}/changes/{time}_{id}.json</c>: a change marker, "read this id's entry", named so
    /// that names sort by time (fixed-width <see cref="ManifestChangeTime"/>); docs/storage-model.md "Manifests".
    /// </summary>
    public static string ManifestChange(EntityTarget target, DateTimeOffset time) =>
        $"{ManifestChangesFrom(target.Env, target.Kind, time)}_{target.Id}.json";

    /// <summary>The first marker name at or after <paramref name="time"/> (a list <c>startOffset</c>/<c>endOffset</c>).</summary>
    public static string ManifestChangesFrom(string env, EntityKind kind, DateTimeOffset time) =>
        $"{ManifestChangesPrefix(env, kind)}{ManifestChangeTime(time)}";

    /// <summary>UTC with seven fraction digits, always the same width: <c>2026-12-02T16:24:20.1234567Z</c>.</summary>
    public static string ManifestChangeTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Length of <see cref="ManifestChangeTime"/>.</summary>
    public const int ManifestChangeTimeLength = 28;

    /// <summary><c>env/{env}/manifests/{prefix}/shards/</c></summary>
    public static string ManifestShardsPrefix(string env, EntityKind kind) => $"{ManifestFolder(env, kind)}shards/";

    /// <summary><c>env/{env}/manifests/{prefix}/shards/{compaction}/{nnnn}.ndjson</c></summary>
    public static string ManifestShard(string env, EntityKind kind, string compactionId, int shard) =>
        $"{ManifestShardsPrefix(env, kind)}{Identifiers.ValidateId(compactionId)}/{shard:D4}.ndjson";

    public static string IndexFolder(string env, EntityKind kind, string indexName) =>
        $"{EnvRoot(env)}indices/{kind.Prefix}/{Identifiers.ValidateId(indexName)}/";

    /// <summary>Multi-pointer index: <c>env/{env}/indices/{prefix}/{index}/{key}/{id}.json</c>.</summary>
    public static string IndexPointer(string env, EntityKind kind, string indexName, string key, string id) =>
        $"{IndexFolder(env, kind, indexName)}{Identifiers.ValidateIndexKey(key)}/{Identifiers.ValidateId(id)}.json";

    /// <summary>Single-pointer index: <c>env/{env}/indices/{prefix}/{index}/{key}.json</c>.</summary>
    public static string IndexSinglePointer(string env, EntityKind kind, string indexName, string key) =>
        $"{IndexFolder(env, kind, indexName)}{Identifiers.ValidateIndexKey(key)}.json";

    /// <summary><c>env/{env}/schemas/{entity}/v{MAJOR.MINOR.PATCH}.schema.json</c> (entity = envelope name).</summary>
    public static string Schema(string env, EntityKind kind, Envelope.SchemaVersion version) =>
        $"{EnvRoot(env)}schemas/{kind.Name}/{version.FileName}";

    public static string SchemasPrefix(string env) => $"{EnvRoot(env)}schemas/";

    public static string Log(string env, string relative) => $"{EnvRoot(env)}logs/{CheckRelative(relative)}";

    public static string Tmp(string env, string relative) => $"{EnvRoot(env)}tmp/{CheckRelative(relative)}";

    /// <summary>
    /// <c>env/{env}/tmp/writes/{key}.json</c>: a change document staged for the engine to carry by reference (claim
    /// check, docs/security.md "Personal data and the engine"); <paramref name="key"/> is 64 hex characters.
    /// </summary>
    public static string StagedWrite(string env, string key) => Tmp(env, $"writes/{key}.json");

    /// <summary><c>env/{env}/tmp/alerts/{key}.json</c>: a rendered alert body, staged until its delivery record is final.</summary>
    public static string StagedAlert(string env, string key) => Tmp(env, $"alerts/{key}.json");

    private static string CheckRelative(string relative)
    {
        foreach (var segment in relative.Split('/'))
        {
            Identifiers.ValidateId(segment);
        }

        return relative;
    }
}
