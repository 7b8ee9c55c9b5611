using System.Globalization;

namespace EccoStudio.Storage.Naming;

/// <summary>
/// Rules for ids and index keys (they become object-name segments).
/// Allowed: Unicode letters and decimal digits, inner single spaces, and the punctuation <c>- _ . @ + : , ~ ( )</c>.
/// Length 1..<see cref="MaxLength"/> UTF-16 code units. Rejected: <c>/</c>, <c>\</c>, <c>..</c>, a segment of only
/// <c>.</c>, control characters, leading/trailing whitespace, anything else outside the set.
/// Look-alikes are refused: no compatibility forms (fullwidth, ligatures, letterlike, superscript, mathematical letters),
/// digits are ASCII <c>0-9</c>, and letters may not mix the Latin, Greek and Cyrillic scripts, ASCII digits counting
/// as Latin (<c>В001</c> with a Cyrillic В is refused, not a second <c>V001</c>; <c>Москва</c> and <c>東京-01</c> are fine).
/// Environments are exactly <c>dev</c>, <c>stg</c>, <c>prod</c> (§3.2).
/// </summary>
public static class Identifiers
{
    public const int MaxLength = 128;

    public const string AllowedPunctuation = "-_.@+:,~()";

    public static IReadOnlyList<string> Environments { get; } = ["dev", "stg", "prod"];

    public static string ValidateId(string? value) => Validate(IdentifierKind.Id, value);

    public static string ValidateIndexKey(string? value) => Validate(IdentifierKind.IndexKey, value);

    public static string ValidateEnvironment(string? value) =>
        value is not null && Environments.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new InvalidIdentifierException(IdentifierKind.Environment, value, "must be one of dev, stg, prod");

    public static bool IsValidId(string? value) => Reason(value) is null;

    private static string Validate(IdentifierKind kind, string? value)
    {
        var reason = Reason(value);
        return reason is null ? value! : throw new InvalidIdentifierException(kind, value, reason);
    }

    private static string? Reason(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "must not be empty";
        }

        if (value.Length > MaxLength)
        {
            return $"longer than {MaxLength} characters";
        }

        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            return "leading or trailing whitespace";
        }

        if (value.Contains("..", StringComparison.Ordinal) || value == ".")
        {
            return "contains '..' or is '.'";
        }

        var script = Script.None;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '/' || c == '\\')
            {
                return "contains a path separator";
            }

            if (char.IsControl(c))
            {
                return "contains a control character";
            }

            if (c == ' ')
            {
                if (value[i - 1] == ' ')
                {
                    return "contains consecutive spaces";
                }

                continue;
            }

            if (char.IsSurrogate(c))
            {
                if (!char.IsSurrogatePair(value, i) || !char.IsLetterOrDigit(value, i))
                {
                    return $"character U+{(int)c:X4} is outside the allowed set";
                }

                if (char.ConvertToUtf32(value, i) is >= 0x1D400 and <= 0x1D7FF)
                {
                    return $"character U+{char.ConvertToUtf32(value, i):X5} is a compatibility form (mathematical letter; a look-alike)";
                }

                i++;
                continue;
            }

            if (c is '\u115F' or '\u1160' or '\u3164' or '\uFFA0')
            {
                return $"character U+{(int)c:X4} is an invisible Hangul filler (a look-alike of nothing)";
            }

            if (IsCompatibilityForm(c))
            {
                return $"character '{c}' (U+{(int)c:X4}) is a compatibility form (fullwidth, ligature, letterlike or superscript; a look-alike)";
            }

            var category = char.GetUnicodeCategory(c);
            var allowed = char.IsLetter(c) || char.IsAsciiDigit(c)
                || AllowedPunctuation.Contains(c, StringComparison.Ordinal);
            if (!allowed)
            {
                return category == UnicodeCategory.DecimalDigitNumber
                    ? $"digit '{c}' (U+{(int)c:X4}) is not an ASCII digit"
                    : $"character '{c}' (U+{(int)c:X4}) is outside the allowed set";
            }

            if (char.IsLetter(c) || char.IsAsciiDigit(c))
            {
                var letterScript = char.IsAsciiDigit(c) ? Script.Latin : ScriptOf(c);
                if (letterScript != Script.Other)
                {
                    if (script != Script.None && script != letterScript)
                    {
                        return $"mixes {script} and {letterScript} characters (look-alikes; ASCII digits count as Latin)";
                    }

                    script = letterScript;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Characters whose NFKC form is another, plainer character (checked by block: the build runs with invariant
    /// globalization, where <see cref="string.IsNormalized()"/> does not normalise).
    /// </summary>
    private static bool IsCompatibilityForm(char c) => c is
        (>= '\uFF00' and <= '\uFFEF') // halfwidth and fullwidth forms
        or (>= '\uFB00' and <= '\uFB4F') // alphabetic presentation forms (ligatures)
        or (>= '\u2070' and <= '\u218F') // superscripts/subscripts, letterlike symbols (K Kelvin, Å Angstrom), number forms
        or (>= '\u2460' and <= '\u24FF') // enclosed alphanumerics
        or (>= '\u3371' and <= '\u33FF'); // squared Latin abbreviations

    private static Script ScriptOf(char c) => c switch
    {
        <= '\u024F' or (>= '\u1E00' and <= '\u1EFF') => Script.Latin,
        (>= '\u0370' and <= '\u03FF') or (>= '\u1F00' and <= '\u1FFF') => Script.Greek,
        >= '\u0400' and <= '\u052F' => Script.Cyrillic,
        _ => Script.Other,
    };

    private enum Script
    {
        None,
        Latin,
        Greek,
        Cyrillic,
        Other,
    }
}
