using System.Text.Json.Nodes;
using EccoStudio.Storage.History;

namespace EccoStudio.Storage.Writes;

/// <summary>A snapshot as read: the entity document, its object generation, and the last applied history key.</summary>
public sealed record SnapshotState(JsonObject Document, long Generation, HistoryKey? LastApplied);
