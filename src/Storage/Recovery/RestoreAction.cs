namespace EccoStudio.Storage.Recovery;

/// <summary>What a restore to time T does with one object name (docs/recovery.md, "Restore").</summary>
public enum RestoreAction
{
    /// <summary>The live generation is the one (or holds the same bytes as the one) that was live at T.</summary>
    Keep,

    /// <summary>Live at T, deleted since: the generation of T is copied back (create-only).</summary>
    BringBack,

    /// <summary>Live at T, overwritten since: the generation of T is copied over the live one (if it is still live).</summary>
    Revert,

    /// <summary>Created after T (nothing was live at T): deleted if the live generation is still the planned one; its versions stay noncurrent.</summary>
    Remove,
}
