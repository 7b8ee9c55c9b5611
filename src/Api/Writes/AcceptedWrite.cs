using System.Text.Json.Nodes;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Snapshots;
using EccoStudio.Storage.Staging;

namespace EccoStudio.Api.Writes;

/// <summary>
/// A write that passed validation and is ready to schedule: the stamped document or merge patch, its condition on the
/// snapshot, and (once staged for its instance) the reference the orchestration carries instead of the document.
/// </summary>
public sealed record AcceptedWrite(EntityTarget Target, ChangeKind Change, JsonObject Body, string Author, string? IdempotencyKey,
    SnapshotPrecondition? Precondition = null)
{
    /// <summary>The change staged under <c>tmp/writes/</c> (<see cref="Orchestrations.Writes.WriteStaging"/>).</summary>
    public StagedDocument? Staged { get; init; }

    /// <summary>The change's updated_at as written in it.</summary>
    public string? UpdatedAt { get; init; }

    /// <summary>The staged bytes are the ones validation approved (see <see cref="Orchestrations.Writes.WriteEntityInput.Validated"/>).</summary>
    public bool Validated { get; init; }
}
