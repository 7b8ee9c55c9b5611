namespace EccoStudio.Storage.History;

/// <summary>What a history record carries (marked by the reserved top-level member <c>_change</c>).</summary>
public enum ChangeKind
{
    /// <summary>The whole document (no <c>_change</c> member, or <c>"_change":"full"</c>).</summary>
    Full,

    /// <summary>An RFC 7396 merge patch over the previous state (<c>"_change":"merge-patch"</c>).</summary>
    MergePatch,

    /// <summary>Cancels an earlier record (<c>"_change":"compensation","_compensates":"{ulid}"</c>); not a change itself.</summary>
    Compensation,

    /// <summary>
    /// A tombstone (<c>"_change":"delete"</c>, envelope members only): the entity is deleted from here on; the fold is
    /// empty until a later full document starts a new life.
    /// </summary>
    Delete, // last: serialized activity inputs carry the numeric value
}
