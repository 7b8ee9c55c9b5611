namespace EccoStudio.Storage.Consistency;

/// <summary>What the checker found wrong with one object of an entity.</summary>
public enum DriftKind
{
    /// <summary>A history object cannot be read or parsed (bad JSON, no updated_at, unknown change marker).</summary>
    HistoryUnreadable,

    /// <summary>History folds to a document but no snapshot exists.</summary>
    SnapshotMissing,

    /// <summary>The snapshot differs from the fold of history (content or its last-applied key).</summary>
    SnapshotStale,

    /// <summary>A snapshot exists for an entity whose history folds to nothing (or that has no history at all).</summary>
    SnapshotOrphan,

    /// <summary>The entity's manifest entry object is missing.</summary>
    ManifestEntryMissing,

    /// <summary>The manifest entry differs from the one the folded document gives.</summary>
    ManifestEntryStale,

    /// <summary>A manifest entry exists for an entity with no (live) history.</summary>
    ManifestEntryOrphan,

    /// <summary>A pointer the folded document should have is missing.</summary>
    PointerMissing,

    /// <summary>A pointer exists but its body (ptr, id, display fields) is not the folded document's, or a latest-mode
    /// pointer is held by an entity that is not later.</summary>
    PointerStale,

    /// <summary>A pointer names this entity under a key the folded document no longer has.</summary>
    PointerWrongKey,

    /// <summary>A pointer names an entity that has no (live) history.</summary>
    PointerOrphan,

    /// <summary>The manifest entry changed after the time the manifest lists changes from, and no change marker names it
    /// (manifest reads miss the change until the next compaction).</summary>
    ManifestChangeMissing,
}
