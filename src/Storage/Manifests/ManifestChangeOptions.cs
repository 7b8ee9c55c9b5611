namespace EccoStudio.Storage.Manifests;

/// <summary>
/// Timing of change markers (docs/storage-model.md "Manifests: shards + changes"). Every process writing to a bucket
/// must use the same values: compaction reasons about what the slowest writer may still be doing.
/// </summary>
public sealed record ManifestChangeOptions
{
    /// <summary>
    /// How far before the watermark readers start listing changes. Covers a worker clock behind the servers' (a delete's
    /// marker is named by the worker clock) plus the time from naming a marker to its change landing.
    /// </summary>
    public TimeSpan Margin { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a writer may trust "this kind has no <c>_index.ndjson</c>" (and write no markers). Compaction turns the
    /// change listing on only for an index whose predecessor has stood at least this long plus <see cref="Margin"/>.
    /// </summary>
    public TimeSpan AbsentIndexTtl { get; init; } = TimeSpan.FromSeconds(30);
}
