using System.Text.Json.Nodes;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;

namespace EccoStudio.Storage.Consistency;

/// <summary>
/// What an entity's objects must be, derived from its history alone: the folded document (null when nothing
/// applies), its last-applied key, and every pointer the document must have.
/// </summary>
public sealed record ExpectedEntity(bool HasHistory, int HistoryRecords, JsonObject? Document, HistoryKey? LastApplied, IReadOnlyList<IndexPointer> Pointers)
{
    public IReadOnlySet<string> PointerNames { get; } = Pointers.Select(p => p.ObjectName).ToHashSet(StringComparer.Ordinal);

    /// <summary>True when the entity should have a snapshot, a manifest entry and pointers.</summary>
    public bool IsLive => Document is not null;
}
