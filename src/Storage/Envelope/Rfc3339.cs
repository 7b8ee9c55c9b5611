using System.Globalization;
using System.Text.RegularExpressions;

namespace EccoStudio.Storage.Envelope;

/// <summary>RFC 3339 timestamps in UTC (<c>Z</c> or <c>+00:00</c>), e.g. <c>2025-11-06T10:18:22Z</c>.</summary>
public static partial class Rfc3339
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|\+00:00|-00:00)$", RegexOptions.CultureInvariant)]
    private static partial Regex UtcPattern();

    public static bool TryParseUtc(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null || !UtcPattern().IsMatch(text))
        {
            return false;
        }

        // More than 7 fraction digits cannot be represented; the extra digits are dropped.
        var normalised = text;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                normalised = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
            }
        }

        return DateTimeOffset.TryParse(normalised, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    /// <summary>Canonical text with second precision, as used in history object names: <c>2025-11-06T10:18:22Z</c>.</summary>
    public static string FormatSeconds(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Canonical text with full (100 ns) precision, trailing zeros trimmed: <c>2025-11-06T10:18:22.5Z</c>.</summary>
    public static string Format(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        return text + "Z";
    }
}
