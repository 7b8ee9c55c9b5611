using System.Globalization;

namespace EccoStudio.Storage.Naming;

/// <summary>
/// Rules for ids and index keys (they become object-name segments).
/// Allowed: Unicode letters and decimal digits, inner single spaces, and the punctuation <c>- _ . @ + : , ~ ( )</c>.
/// Length 1..<see cref="MaxLength"/> UTF-16 code units. Rejected: <c>/</c>, <c>\</c>, <c>..</c>, a segment of only
/// <c>.</c>, control characters, leading/trailing whitespace, anything else outside the set.
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

                i++;
                continue;
            }

            var category = char.GetUnicodeCategory(c);
            var allowed = char.IsLetter(c) || category == UnicodeCategory.DecimalDigitNumber
                || AllowedPunctuation.Contains(c, StringComparison.Ordinal);
            if (!allowed)
            {
                return $"character '{c}' (U+{(int)c:X4}) is outside the allowed set";
            }
        }

        return null;
    }
}
