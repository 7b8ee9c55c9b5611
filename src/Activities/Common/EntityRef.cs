using EccoStudio.Storage.Layout;

namespace EccoStudio.Activities.Common;

/// <summary>Which entity an activity works on (serializable; validated when turned into a target).</summary>
public sealed record EntityRef(string Env, string Entity, string Id)
{
    public EntityTarget ToTarget() => EntityTarget.Of(Env, Entity, Id);

    public static EntityRef From(EntityTarget target) => new(target.Env, target.Kind.Name, target.Id);

    public override string ToString() => $"{Env}/{Entity}/{Id}";
}
