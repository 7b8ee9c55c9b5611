using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Naming;

namespace EccoStudio.Storage.Layout;

/// <summary>One entity instance: environment, kind and id (all validated on construction).</summary>
public sealed record EntityTarget
{
    public EntityTarget(string env, EntityKind kind, string id)
    {
        Env = Identifiers.ValidateEnvironment(env);
        Kind = kind;
        Id = Identifiers.ValidateId(id);
    }

    public string Env { get; }

    public EntityKind Kind { get; }

    public string Id { get; }

    /// <summary>Resolves <paramref name="entity"/> by envelope name; throws <see cref="UnknownEntityException"/>.</summary>
    public static EntityTarget Of(string env, string entity, string id) => new(env, EntityCatalog.Get(entity), id);

    public override string ToString() => $"{Env}/{Kind.Name}/{Id}";
}
