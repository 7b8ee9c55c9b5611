namespace EccoStudio.Storage.Store;

/// <summary>
/// An object's retention configuration (GCS Object Retention Lock, docs/operations.md "History audit retention"):
/// until <see cref="RetainUntil"/> GCS refuses to delete or replace the generation. <see cref="Unlocked"/> can be
/// removed or shortened by a caller allowed to override it; <see cref="Locked"/> can only be extended.
/// </summary>
public sealed record RetentionConfig(string Mode, DateTimeOffset RetainUntil)
{
    public const string Unlocked = "Unlocked";
    public const string Locked = "Locked";

    public bool IsLocked => Mode == Locked;

    /// <summary>True while the retention still protects the generation at <paramref name="now"/>.</summary>
    public bool Holds(DateTimeOffset now) => RetainUntil > now;
}
