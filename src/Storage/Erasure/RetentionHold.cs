using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Erasure;

/// <summary>
/// The entity's generations that a GCS object retention still protects (history under the §8 audit retention,
/// docs/operations.md): <see cref="Locked"/> ones cannot be deleted by anyone before their time; <see cref="Unlocked"/>
/// ones only after the retention is removed with <c>overrideUnlockedRetention</c>.
/// </summary>
public sealed record RetentionHold(IReadOnlyList<StoredObjectInfo> Locked, IReadOnlyList<StoredObjectInfo> Unlocked)
{
    public bool IsEmpty => Locked.Count == 0 && Unlocked.Count == 0;

    /// <summary>When the last Locked generation may be deleted (null when none is Locked).</summary>
    public DateTimeOffset? LockedUntil => Locked.Count == 0 ? null : Locked.Max(v => v.Retention!.RetainUntil);

    /// <summary>When the last Unlocked retention ends (null when none).</summary>
    public DateTimeOffset? UnlockedUntil => Unlocked.Count == 0 ? null : Unlocked.Max(v => v.Retention!.RetainUntil);
}
