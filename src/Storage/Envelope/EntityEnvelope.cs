using EccoStudio.Storage.Catalog;

namespace EccoStudio.Storage.Envelope;

/// <summary>The required fields of §3.2, parsed.</summary>
public sealed record EntityEnvelope(
    string Id,
    EntityKind Entity,
    string Env,
    SchemaVersion SchemaVersion,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
