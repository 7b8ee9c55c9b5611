using System.Text.Json.Nodes;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Writes;

namespace EccoStudio.Api.Writes;

/// <summary>A write that passed validation and is ready to schedule: the stamped document or merge patch, and its condition on the snapshot.</summary>
public sealed record AcceptedWrite(EntityTarget Target, ChangeKind Change, JsonObject Body, string Author, string? IdempotencyKey,
    SnapshotPrecondition? Precondition = null);
