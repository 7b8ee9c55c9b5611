namespace EccoStudio.Storage.Recovery;

/// <summary>What applying one step did.</summary>
public enum RestoreOutcome
{
    /// <summary>Nothing to write: the object already is what it was at T.</summary>
    Unchanged,

    /// <summary>The generation of T was copied back (in place or into the destination bucket).</summary>
    Copied,

    /// <summary>An object created after T was deleted (its versions stay noncurrent).</summary>
    Removed,

    /// <summary>The object changed after the plan was made (412): left as the concurrent writer made it; a re-run plans it again.</summary>
    Conflict,
}
