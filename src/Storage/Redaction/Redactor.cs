using System.Text.RegularExpressions;

namespace EccoStudio.Storage.Redaction;

/// <summary>
/// Strips what must never reach a log line, a custom status, an ops record or an exception text: every URL loses its
/// user info, path, query and fragment (a Slack webhook URL is a credential in its path; keys travel in <c>?code=</c>),
/// keeping scheme, host and port so the text still says where. Also drops CR/LF so one log entry stays one line.
/// </summary>
public static partial class Redactor
{
    public const string Mask = "…";

    // Linear: a scheme, "://", then a run of non-space characters; no nested quantifiers.
    [GeneratedRegex(@"\b([a-zA-Z][a-zA-Z0-9+.-]{1,15})://([^\s/?#""'<>]*)([^\s""'<>]*)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex UrlPattern();

    /// <summary>The text with each URL cut to <c>scheme://host[:port]/…</c> and CR/LF replaced by spaces.</summary>
    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var redacted = UrlPattern().Replace(text, m =>
        {
            var authority = m.Groups[2].Value;
            var at = authority.LastIndexOf('@');
            var host = at < 0 ? authority : authority[(at + 1)..];
            return m.Groups[3].Length == 0 && at < 0 ? m.Value : $"{m.Groups[1].Value}://{host}/{Mask}";
        });
        return SingleLine(redacted);
    }

    /// <summary>A URL reduced to <c>scheme://host[:port]/…</c> (for naming a destination without its secret parts).</summary>
    public static string Url(Uri uri) => $"{uri.Scheme}://{uri.Authority}/{Mask}";

    /// <summary>CR, LF and other line/paragraph separators replaced by a space (log injection).</summary>
    public static string SingleLine(string? text) =>
        string.IsNullOrEmpty(text) || text.AsSpan().IndexOfAny(LineBreaks) < 0
            ? text ?? string.Empty
            : string.Create(text.Length, text, (span, source) =>
            {
                for (var i = 0; i < source.Length; i++)
                {
                    span[i] = LineBreaks.Contains(source[i]) ? ' ' : source[i];
                }
            });

    private static readonly System.Buffers.SearchValues<char> LineBreaks = System.Buffers.SearchValues.Create("\r\n\u0085\u2028\u2029\f\v");
}
