namespace EccoStudio.Storage.Consistency;

/// <summary>Tuning of a consistency check.</summary>
public sealed record ConsistencyCheckOptions
{
    /// <summary>How many differences the report keeps verbatim (the counts cover all of them).</summary>
    public int MaxReportedDifferences { get; init; } = 20;

    /// <summary>Objects per listing page (the check never holds more than a page of names per listing).</summary>
    public int PageSize { get; init; } = 1000;

    /// <summary>Entities checked at once.</summary>
    public int Parallelism { get; init; } = 8;

    /// <summary>
    /// How many entities' expected pointer sets are remembered between the entity pass and the orphan passes. A miss
    /// costs a re-fold of that entity's history; memory stays bounded by this number whatever the bucket holds.
    /// </summary>
    public int ExpectedCacheCapacity { get; init; } = 20_000;

    /// <summary>How many drifted entities the report lists for repair (the count covers all of them).</summary>
    public int MaxTrackedDriftedEntities { get; init; } = 100_000;
}
