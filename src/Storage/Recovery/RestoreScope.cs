using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Naming;

namespace EccoStudio.Storage.Recovery;

/// <summary>
/// What a restore covers: a whole environment (history, snapshots, manifests, index pointers and schemas; never
/// <c>logs/</c>, which holds audit and erasure records, nor <c>tmp/</c>), one entity kind, or one entity (its history,
/// snapshot and manifest entry: its pointers are rebuilt from the restored snapshot afterwards, since a pointer's name
/// carries a key rather than the id alone).
/// </summary>
public sealed record RestoreScope
{
    public RestoreScope(string env, EntityKind? kind = null, string? id = null)
    {
        Env = Identifiers.ValidateEnvironment(env);
        if (id is not null && kind is null)
        {
            throw new ArgumentException("An id needs its entity kind.", nameof(id));
        }

        Kind = kind;
        Id = id is null ? null : Identifiers.ValidateId(id);
    }

    public string Env { get; }

    public EntityKind? Kind { get; }

    public string? Id { get; }

    /// <summary>Listing prefixes that cover the scope (disjoint).</summary>
    public IReadOnlyList<string> Prefixes
    {
        get
        {
            var root = ObjectPaths.EnvRoot(Env);
            if (Kind is null)
            {
                return [root];
            }

            if (Id is null)
            {
                return [$"{root}{Kind.Prefix}/", ObjectPaths.SnapshotPrefix(Env, Kind), ObjectPaths.ManifestFolder(Env, Kind), $"{root}indices/{Kind.Prefix}/"];
            }

            var target = new EntityTarget(Env, Kind, Id);
            return [ObjectPaths.HistoryPrefix(target), ObjectPaths.Snapshot(target), ObjectPaths.ManifestEntry(target)];
        }
    }

    /// <summary>True when a listed object belongs to the scope.</summary>
    public bool Includes(ParsedObjectName parsed)
    {
        if (parsed.Env != Env || parsed.Category is ObjectCategory.Log or ObjectCategory.Tmp)
        {
            return false;
        }

        if (Kind is null)
        {
            return true;
        }

        if (parsed.Kind != Kind)
        {
            return false;
        }

        return Id is null || (parsed.Id == Id && parsed.Category is ObjectCategory.History or ObjectCategory.Snapshot or ObjectCategory.ManifestEntry);
    }

    public override string ToString() => Kind is null ? $"env {Env}" : Id is null ? $"{Env}/{Kind.Name}" : $"{Env}/{Kind.Name}/{Id}";
}
