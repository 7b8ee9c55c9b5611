namespace EccoStudio.Storage.Catalog;

/// <summary>One kind of entity: its envelope name (<c>entity</c> field) and its folder prefix under <c>env/{env}/</c>.</summary>
/// <param name="Name">The envelope value, e.g. <c>cap_table</c>.</param>
/// <param name="Prefix">The folder, e.g. <c>cap_tables</c>.</param>
/// <param name="InSpecEnvelopeEnum">False for kinds the spec's §3.2 enum lacks (only <c>dataroom</c>).</param>
public sealed record EntityKind(string Name, string Prefix, bool InSpecEnvelopeEnum = true)
{
    public override string ToString() => Name;
}
