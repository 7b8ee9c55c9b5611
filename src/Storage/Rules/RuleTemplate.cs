using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Indices;

namespace EccoStudio.Storage.Rules;

/// <summary>
/// A rule's message template: literal text with <c>{{/json/pointer}}</c> placeholders replaced by snapshot values.
/// Parsed in one left-to-right pass (linear in the template: the next <c>}}</c> is found once and reused, so a template
/// full of unclosed <c>{{</c> costs no more than its length). Bounded work for rule authors: at most
/// <see cref="MaxLength"/> characters and <see cref="MaxPlaceholders"/> placeholders (refused when the rule is
/// written), and the rendered text is cut at <see cref="MaxRenderedLength"/>. <c>{{}}</c> (the whole document) is
/// refused; <c>{{x}}</c> without a leading <c>/</c> is literal text.
/// </summary>
public sealed class RuleTemplate
{
    public const int MaxLength = 4096;
    public const int MaxPlaceholders = 32;
    public const int MaxRenderedLength = 8192;
    public const char Truncated = '…';

    private readonly List<(string? Literal, string? Pointer)> _parts;

    private RuleTemplate(List<(string? Literal, string? Pointer)> parts, int placeholders)
    {
        _parts = parts;
        Placeholders = placeholders;
    }

    public int Placeholders { get; }

    /// <summary>Parses without enforcing the limits (rules stored before them still render, bounded).</summary>
    public static RuleTemplate Parse(string template)
    {
        var parts = new List<(string?, string?)>();
        var placeholders = 0;
        var literalStart = 0;
        var position = 0;
        var close = -1;
        while (position < template.Length)
        {
            var open = template.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                break;
            }

            if (close < open + 2)
            {
                close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    break; // no closing anywhere after: the rest is literal
                }
            }

            var inner = template.AsSpan(open + 2, close - open - 2);
            if (inner.Length == 0 || (inner[0] == '/' && inner.IndexOfAny('{', '}') < 0))
            {
                if (open > literalStart)
                {
                    parts.Add((template[literalStart..open], null));
                }

                parts.Add((null, inner.ToString()));
                placeholders++;
                position = literalStart = close + 2;
                close = -1;
            }
            else
            {
                position = open + 1;
            }
        }

        if (literalStart < template.Length)
        {
            parts.Add((template[literalStart..], null));
        }

        return new RuleTemplate(parts, placeholders);
    }

    /// <summary>Parses and enforces the limits; the reason when the template cannot be stored in a rule.</summary>
    public static string? Check(string template, string field)
    {
        if (template.Length > MaxLength)
        {
            return $"'{field}' is longer than {MaxLength} characters";
        }

        var parsed = Parse(template);
        if (parsed.Placeholders > MaxPlaceholders)
        {
            return $"'{field}' has {parsed.Placeholders} placeholders (at most {MaxPlaceholders})";
        }

        foreach (var (_, pointer) in parsed._parts)
        {
            if (pointer is null)
            {
                continue;
            }

            if (pointer.Length == 0)
            {
                return $"'{field}' contains {{{{}}}} (the whole document); name a member, e.g. {{{{/id}}}}";
            }

            if (!global::Json.Pointer.JsonPointer.TryParse(pointer, out _))
            {
                return $"'{field}' has an invalid JSON pointer placeholder";
            }
        }

        return null;
    }

    /// <summary>The text with each placeholder replaced (strings verbatim, other values as JSON, missing as empty), cut at <paramref name="maxLength"/>.</summary>
    public string Render(JsonObject snapshot, int maxLength = MaxRenderedLength)
    {
        var text = new StringBuilder();
        foreach (var (literal, pointer) in _parts)
        {
            if (text.Length > maxLength)
            {
                break;
            }

            text.Append(literal ?? Value(snapshot, pointer!));
        }

        if (text.Length > maxLength)
        {
            text.Length = maxLength - 1;
            text.Append(Truncated);
        }

        return text.ToString();
    }

    private static string Value(JsonObject snapshot, string pointer)
    {
        if (pointer.Length == 0)
        {
            return string.Empty; // the empty pointer (whole document) is never rendered
        }

        JsonNode? value;
        try
        {
            value = IndexDefinition.Resolve(snapshot, pointer);
        }
        catch (Exception e) when (e is FormatException or global::Json.Pointer.PointerParseException)
        {
            return string.Empty;
        }

        return value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? string.Empty;
    }
}
