using System.Globalization;
using EccoStudio.Api.Problems;
using EccoStudio.Storage.Envelope;
using Microsoft.AspNetCore.Http;

namespace EccoStudio.Api.Routing;

/// <summary>
/// The one query-string parser of both hosts' handlers. A parameter that takes one value and is given twice is a
/// 400 (<c>repeated-parameter</c>) wherever it appears, rather than one handler taking the first and another the
/// last; only list parameters (<see cref="List"/>) accept repeats. Malformed values are 400 problems naming the
/// parameter.
/// </summary>
public static class QueryParameters
{
    /// <summary>The value as given (possibly empty), null when absent; 400 when repeated.</summary>
    public static string? One(HttpRequest request, string name)
    {
        if (!request.Query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }

        return values.Count == 1 ? values[0] : throw ApiProblemException.BadRequest("repeated-parameter", $"?{name}= may be given once.");
    }

    /// <summary><see cref="One"/>, with an empty value treated as absent.</summary>
    public static string? NonEmpty(HttpRequest request, string name) => One(request, name) is { Length: > 0 } value ? value : null;

    /// <summary>Every value, repeated (<c>?a=x&amp;a=y</c>) or comma-separated (<c>?a=x,y</c>), trimmed, empties dropped.</summary>
    public static IReadOnlyList<string> List(HttpRequest request, string name) =>
        request.Query[name].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    public static bool Flag(HttpRequest request, string name, bool fallback)
    {
        var text = NonEmpty(request, name);
        return text is null ? fallback
            : bool.TryParse(text, out var value) ? value
            : throw ApiProblemException.BadRequest("invalid-flag", $"{name} must be true or false.");
    }

    public static int? Number(HttpRequest request, string name)
    {
        var text = NonEmpty(request, name);
        return text is null ? null
            : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
            : throw ApiProblemException.BadRequest("invalid-number", $"{name} must be an integer.");
    }

    /// <summary>An RFC 3339 time, or any invariant date-time taken as UTC (the Durable extension's filters accept both).</summary>
    public static DateTimeOffset? Time(HttpRequest request, string name)
    {
        var text = NonEmpty(request, name);
        if (text is null)
        {
            return null;
        }

        if (Rfc3339.TryParseUtc(text, out var utc))
        {
            return utc;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var any)
            ? any
            : throw ApiProblemException.BadRequest("invalid-time", $"{name} '{EntityRoutes.Printable(text)}' is not a date-time.");
    }
}
