using System.Text.Json.Nodes;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Layout;

namespace EccoStudio.Api.Writes;

/// <summary>A write that passed validation and is ready to schedule: the stamped document or merge patch.</summary>
public sealed record AcceptedWrite(EntityTarget Target, ChangeKind Change, JsonObject Body, string Author, string? IdempotencyKey);
