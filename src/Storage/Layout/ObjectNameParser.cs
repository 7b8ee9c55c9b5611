using System.Globalization;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Naming;

namespace EccoStudio.Storage.Layout;

/// <summary>Object name → category/env/entity/id/…; the inverse of <see cref="ObjectPaths"/>.</summary>
public static class ObjectNameParser
{
    public static ParsedObjectName? TryParse(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        var parts = name.Split('/');
        if (parts.Length < 3 || parts[0] != "env" || !Identifiers.Environments.Contains(parts[1], StringComparer.Ordinal))
        {
            return null;
        }

        var env = parts[1];
        var rest = parts.AsSpan(2);
        try
        {
            return rest[0] switch
            {
                "snapshots" => ParseSnapshot(env, name, rest),
                "manifests" => ParseManifest(env, name, rest),
                "indices" => ParseIndex(env, name, rest),
                "schemas" => ParseSchema(env, name, rest),
                "logs" when rest.Length > 1 => new ParsedObjectName(ObjectCategory.Log, env, name) { Rest = string.Join('/', rest[1..].ToArray()) },
                "tmp" when rest.Length > 1 => new ParsedObjectName(ObjectCategory.Tmp, env, name) { Rest = string.Join('/', rest[1..].ToArray()) },
                _ => ParseHistory(env, name, rest),
            };
        }
        catch (InvalidIdentifierException)
        {
            return null;
        }
    }

    public static ParsedObjectName Parse(string name) =>
        TryParse(name) ?? throw new InvalidIdentifierException(IdentifierKind.Id, name, "not an object name of the layout");

    private static ParsedObjectName? ParseSnapshot(string env, string name, ReadOnlySpan<string> p)
    {
        if (p.Length != 3 || !EntityCatalog.TryGetByPrefix(p[1], out var kind) || !TryStripSuffix(p[2], ".json", out var id))
        {
            return null;
        }

        return Identifiers.IsValidId(id) ? new ParsedObjectName(ObjectCategory.Snapshot, env, name) { Kind = kind, Id = id } : null;
    }

    private static ParsedObjectName? ParseManifest(string env, string name, ReadOnlySpan<string> p)
    {
        if (p.Length < 3 || !EntityCatalog.TryGetByPrefix(p[1], out var kind))
        {
            return null;
        }

        if (p.Length == 3 && p[2] == "_index.ndjson")
        {
            return new ParsedObjectName(ObjectCategory.ManifestIndex, env, name) { Kind = kind };
        }

        if (p.Length == 4 && p[2] == "entries" && TryStripSuffix(p[3], ".json", out var id) && Identifiers.IsValidId(id))
        {
            return new ParsedObjectName(ObjectCategory.ManifestEntry, env, name) { Kind = kind, Id = id };
        }

        if (p.Length == 4 && p[2] == "changes" && p[3].Length > ObjectPaths.ManifestChangeTimeLength + 1 && p[3][ObjectPaths.ManifestChangeTimeLength] == '_'
            && TryStripSuffix(p[3][(ObjectPaths.ManifestChangeTimeLength + 1)..], ".json", out var changed) && Identifiers.IsValidId(changed))
        {
            return new ParsedObjectName(ObjectCategory.ManifestChange, env, name) { Kind = kind, Id = changed, Rest = p[3][..ObjectPaths.ManifestChangeTimeLength] };
        }

        if (p.Length == 5 && p[2] == "shards" && Identifiers.IsValidId(p[3]) && p[4].EndsWith(".ndjson", StringComparison.Ordinal))
        {
            return new ParsedObjectName(ObjectCategory.ManifestShard, env, name) { Kind = kind, Rest = p[3] };
        }

        return null;
    }

    private static ParsedObjectName? ParseIndex(string env, string name, ReadOnlySpan<string> p)
    {
        if (!EntityCatalog.TryGetByPrefix(p.Length > 1 ? p[1] : null, out var kind) || !Identifiers.IsValidId(p.Length > 2 ? p[2] : null))
        {
            return null;
        }

        if (p.Length == 4 && TryStripSuffix(p[3], ".json", out var singleKey))
        {
            return new ParsedObjectName(ObjectCategory.IndexPointer, env, name)
            {
                Kind = kind, IndexName = p[2], IndexKey = Identifiers.ValidateIndexKey(singleKey),
            };
        }

        if (p.Length == 5 && TryStripSuffix(p[4], ".json", out var id))
        {
            return new ParsedObjectName(ObjectCategory.IndexPointer, env, name)
            {
                Kind = kind, IndexName = p[2], IndexKey = Identifiers.ValidateIndexKey(p[3]), Id = Identifiers.ValidateId(id),
            };
        }

        return null;
    }

    private static ParsedObjectName? ParseSchema(string env, string name, ReadOnlySpan<string> p)
    {
        if (p.Length != 3 || !EntityCatalog.TryGet(p[1], out var kind) || !TryStripSuffix(p[2], ".schema.json", out var version)
            || !SchemaVersion.TryParse(version, out var parsed))
        {
            return null;
        }

        return new ParsedObjectName(ObjectCategory.Schema, env, name) { Kind = kind, SchemaVersion = parsed };
    }

    private static ParsedObjectName? ParseHistory(string env, string name, ReadOnlySpan<string> p)
    {
        // {prefix}/{id}/history/{yyyy}/{mm}/{dd}/{tsZ}_{ulid}.json
        if (p.Length != 7 || p[2] != "history" || !EntityCatalog.TryGetByPrefix(p[0], out var kind) || !Identifiers.IsValidId(p[1])
            || !TryStripSuffix(p[6], ".json", out var stem))
        {
            return null;
        }

        var underscore = stem.LastIndexOf('_');
        if (underscore <= 0
            || !DateTimeOffset.TryParseExact(stem[..underscore], "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            || !Ulid.TryParse(stem[(underscore + 1)..], out var ulid))
        {
            return null;
        }

        var utc = at.UtcDateTime;
        if (p[3] != utc.ToString("yyyy", CultureInfo.InvariantCulture) || p[4] != utc.ToString("MM", CultureInfo.InvariantCulture)
            || p[5] != utc.ToString("dd", CultureInfo.InvariantCulture))
        {
            return null;
        }

        return new ParsedObjectName(ObjectCategory.History, env, name)
        {
            Kind = kind, Id = p[1], HistoryTimestamp = at, HistoryUlid = ulid,
        };
    }

    private static bool TryStripSuffix(string value, string suffix, out string stem)
    {
        if (value.Length > suffix.Length && value.EndsWith(suffix, StringComparison.Ordinal))
        {
            stem = value[..^suffix.Length];
            return true;
        }

        stem = string.Empty;
        return false;
    }
}
