using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Layout;

namespace EccoStudio.Storage.Erasure;

/// <summary>
/// An erasure refused before anything was deleted: object retention protects some of the entity's history. A Locked
/// retention cannot be lifted by anyone (GCS refuses); an Unlocked one only when the caller asks to override it. A model
/// refusal, so not transient: a retry changes nothing before the retain-until time.
/// </summary>
public sealed class ErasureBlockedException(EntityTarget target, RetentionHold hold) : StorageModelException(Describe(target, hold))
{
    public RetentionHold Hold { get; } = hold;

    /// <summary>True when only Unlocked retention is in the way (an override would let the erasure proceed).</summary>
    public bool Overridable => Hold.Locked.Count == 0;

    private static string Describe(EntityTarget target, RetentionHold hold) =>
        hold.Locked.Count > 0
            ? $"{target} cannot be erased: {hold.Locked.Count} of its history versions are under a Locked object retention until "
              + $"{Rfc3339.Format(hold.LockedUntil!.Value)}, which GCS lets nobody shorten or remove; nothing was deleted."
            : $"{target} cannot be erased yet: {hold.Unlocked.Count} of its history versions are under an Unlocked object retention until "
              + $"{Rfc3339.Format(hold.UnlockedUntil!.Value)}; nothing was deleted. Lift it with `erase --override-unlocked-retention` "
              + "(needs storage.objects.overrideUnlockedRetention).";
}
