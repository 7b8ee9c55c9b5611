namespace EccoStudio.Storage.Consistency;

/// <summary>One difference: which entity, what kind of drift, the object concerned and a readable detail.</summary>
public sealed record Drift(string Env, string Entity, string Id, DriftKind Kind, string ObjectName, string Detail)
{
    public override string ToString() => $"{Kind} {Env}/{Entity}/{Id}: {ObjectName}: {Detail}";
}
