using EccoStudio.Storage.Layout;

namespace EccoStudio.Api.Writes;

/// <summary>A delete that passed validation: target, acceptance time, the If-Match generation if sent, author, idempotency key.</summary>
public sealed record AcceptedDelete(EntityTarget Target, DateTimeOffset At, long? IfMatchGeneration, string Author, string? IdempotencyKey);
