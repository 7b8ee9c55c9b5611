using EccoStudio.Storage.Envelope;

namespace EccoStudio.Storage.History;

/// <summary>
/// Orders history records: by <c>updated_at</c>, then by ULID (tie-break). Names the history object
/// (<c>{tsZ}_{ulid}.json</c>, tsZ = updated_at to the second).
/// </summary>
public readonly record struct HistoryKey(DateTimeOffset UpdatedAt, Ulid Ulid) : IComparable<HistoryKey>
{
    public int CompareTo(HistoryKey other)
    {
        var byTime = UpdatedAt.UtcTicks.CompareTo(other.UpdatedAt.UtcTicks);
        return byTime != 0 ? byTime : Ulid.CompareTo(other.Ulid);
    }

    public static bool operator <(HistoryKey left, HistoryKey right) => left.CompareTo(right) < 0;

    public static bool operator >(HistoryKey left, HistoryKey right) => left.CompareTo(right) > 0;

    public static bool operator <=(HistoryKey left, HistoryKey right) => left.CompareTo(right) <= 0;

    public static bool operator >=(HistoryKey left, HistoryKey right) => left.CompareTo(right) >= 0;

    /// <summary>The object file name stem: <c>2025-11-06T10:18:22Z_01HFB9...</c>.</summary>
    public string FileStem => $"{Rfc3339.FormatSeconds(UpdatedAt)}_{Ulid}";

    /// <summary>Compact text for object metadata: <c>{updated_at full precision}|{ulid}</c>.</summary>
    public override string ToString() => $"{Rfc3339.Format(UpdatedAt)}|{Ulid}";

    public static bool TryParse(string? text, out HistoryKey key)
    {
        key = default;
        var bar = text?.IndexOf('|', StringComparison.Ordinal) ?? -1;
        if (bar <= 0
            || !Rfc3339.TryParseUtc(text![..bar], out var at)
            || !Ulid.TryParse(text[(bar + 1)..], out var ulid))
        {
            return false;
        }

        key = new HistoryKey(at, ulid);
        return true;
    }
}
