using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.History;

/// <summary>
/// The §8 audit retention of history objects (off unless <c>Ecco:Storage:HistoryRetentionDays</c> &gt; 0): every
/// history object is created with a GCS object retention of <see cref="Days"/> days in <see cref="Mode"/>. The bucket
/// must have Object Retention Lock enabled (<c>provision</c> creates it so); see docs/operations.md.
/// </summary>
public sealed record HistoryRetention
{
    /// <summary>GCS caps a retain-until time at 100 years ahead.</summary>
    public const int MaxDays = 36_500;

    public HistoryRetention(int days, string mode)
    {
        if (days is <= 0 or > MaxDays)
        {
            throw new ArgumentOutOfRangeException(nameof(days), days, $"Ecco:Storage:HistoryRetentionDays must be between 1 and {MaxDays} (0 turns retention off).");
        }

        if (mode is not (RetentionConfig.Unlocked or RetentionConfig.Locked))
        {
            throw new ArgumentException($"Ecco:Storage:HistoryRetentionMode must be {RetentionConfig.Unlocked} or {RetentionConfig.Locked}, not '{mode}'.", nameof(mode));
        }

        Days = days;
        Mode = mode;
    }

    public int Days { get; }

    public string Mode { get; }

    /// <summary>The retention for a history object written at <paramref name="now"/>.</summary>
    public RetentionConfig From(DateTimeOffset now) => new(Mode, now.AddDays(Days));

    /// <summary>The configured retention, or null when <paramref name="days"/> is 0 (off).</summary>
    public static HistoryRetention? FromSettings(int days, string? mode) =>
        days == 0 ? null : new HistoryRetention(days, string.IsNullOrWhiteSpace(mode) ? RetentionConfig.Unlocked : mode);
}
