namespace EccoStudio.Storage.Indices;

/// <summary>Pointers to write and pointer object names to remove for one change.</summary>
public sealed record IndexPlan(IReadOnlyList<IndexPointer> Add, IReadOnlyList<IndexPointer> Remove)
{
    public bool IsEmpty => Add.Count == 0 && Remove.Count == 0;
}
