using System.Text.Json.Nodes;

namespace EccoStudio.Storage.Writes;

/// <summary>The snapshot before and after; <see cref="Changed"/> is false when the apply was a no-op.</summary>
public sealed record SnapshotApplyResult(JsonObject? Before, JsonObject After, long Generation, bool Changed, int Attempts);
