using System.Text.Json.Nodes;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;

namespace EccoStudio.Storage.Snapshots;

/// <summary>A snapshot as read: the entity document, its object generation, and the last applied history key.</summary>
public sealed record SnapshotState(JsonObject Document, long Generation, HistoryKey? LastApplied)
{
    /// <summary>Metageneration of <see cref="Generation"/> (a metadata change bumps it; a content write resets it).</summary>
    public long Metageneration { get; init; } = 1;

    /// <summary>Pointers earlier states of this snapshot had and it has not (see <see cref="PendingPointers"/>).</summary>
    public PendingPointers Pending { get; init; } = PendingPointers.None;
}
