using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Rules;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Composition;

/// <summary>
/// What every write/read operation needs: the store, the layout, schemas and index definitions; and the alert
/// destinations rules may name (<see cref="Webhooks"/>, none unless composed from configuration).
/// </summary>
public sealed record StorageContext(IObjectStore Store, ObjectPaths Paths, EntitySchemaRegistry Schemas, IndexCatalog Indices)
{
    public WebhookCatalog Webhooks { get; init; } = WebhookCatalog.None;

    /// <summary>Retention set on every new history object (spec §8 audit retention); null = off (the default).</summary>
    public HistoryRetention? HistoryRetention { get; init; }

    /// <summary>The clock retention times are computed from.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Timing of manifest change markers (the same in every process on a bucket).</summary>
    public ManifestChangeOptions ManifestChanges { get; init; } = new();

    /// <summary>Per process: which kinds have a manifest entry point (writers then leave change markers).</summary>
    public ManifestPresence ManifestPresence { get; init; } = new();

    public string Bucket(string env) => Paths.BucketFor(env);

    /// <summary>Object metadata key on snapshots holding the last applied history key (<c>{updated_at}|{ulid}</c>).</summary>
    public const string LastAppliedMetadataKey = "ecco-last-applied";
}
