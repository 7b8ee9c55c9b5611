using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;

namespace EccoStudio.Storage.Layout;

/// <summary>What an object name says about itself (see <see cref="ObjectNameParser"/>).</summary>
public sealed record ParsedObjectName(ObjectCategory Category, string Env, string Name)
{
    public EntityKind? Kind { get; init; }

    public string? Id { get; init; }

    /// <summary>History only: the <c>{tsZ}_{ulid}</c> parts (tsZ is second precision).</summary>
    public DateTimeOffset? HistoryTimestamp { get; init; }

    public Ulid? HistoryUlid { get; init; }

    public string? IndexName { get; init; }

    public string? IndexKey { get; init; }

    public SchemaVersion? SchemaVersion { get; init; }

    /// <summary>Manifest shards: the compaction id; logs/tmp: the path after <c>logs/</c> or <c>tmp/</c>.</summary>
    public string? Rest { get; init; }

    public EntityTarget? Target => Kind is not null && Id is not null ? new EntityTarget(Env, Kind, Id) : null;
}
