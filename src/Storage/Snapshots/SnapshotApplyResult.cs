using System.Text.Json.Nodes;
using EccoStudio.Storage.History;

namespace EccoStudio.Storage.Snapshots;

/// <summary>The snapshot before and after; <see cref="Changed"/> is false when the apply was a no-op.</summary>
public sealed record SnapshotApplyResult(JsonObject? Before, JsonObject After, long Generation, bool Changed, int Attempts)
{
    /// <summary>The <c>ecco-last-applied</c> key of <see cref="Before"/> (what a restore must put back).</summary>
    public HistoryKey? BeforeLastApplied { get; init; }

    /// <summary>The generation of <see cref="Before"/> (0 when there was no snapshot): a read by generation gives it back.</summary>
    public long BeforeGeneration { get; init; }

    /// <summary>The snapshot now in place lists pointers pending removal (<see cref="PendingPointers"/>): the index step must settle them.</summary>
    public bool PendingPointers { get; init; }
}
