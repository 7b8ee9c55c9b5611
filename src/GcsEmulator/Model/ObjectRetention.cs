namespace EccoStudio.GcsEmulator.Model;

/// <summary>
/// An object's retention configuration (Object Retention Lock): until <see cref="RetainUntil"/> the generation cannot be
/// deleted or replaced (it can still be made noncurrent in a versioned bucket). <c>Unlocked</c> may be shortened or
/// removed with <c>overrideUnlockedRetention=true</c>; <c>Locked</c> can only be extended.
/// </summary>
public sealed record ObjectRetention(string Mode, DateTimeOffset RetainUntil)
{
    public const string Unlocked = "Unlocked";
    public const string Locked = "Locked";

    public bool IsLocked => Mode == Locked;

    public bool Holds(DateTimeOffset now) => RetainUntil > now;
}
