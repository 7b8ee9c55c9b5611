using System.Globalization;
using EccoStudio.Api.Problems;
using EccoStudio.Api.Routing;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Writes;
using Microsoft.AspNetCore.Http;

namespace EccoStudio.Api.Writes;

/// <summary>
/// <c>If-Match</c> against an entity's ETag (the snapshot generation in quotes, as reads send it), RFC 9110 §13.1.1:
/// <c>*</c> matches any existing entity; a list matches when one tag is the current one; a mismatch is 412; a value
/// that is not a quoted generation is 400. One check for every method that takes the header.
/// </summary>
public static class EntityPreconditions
{
    /// <summary>The generation the caller requires (null when no If-Match was sent); throws the problem otherwise.</summary>
    public static long? IfMatch(HttpRequest request, EntityTarget target, long? currentGeneration)
    {
        var values = request.Headers.IfMatch.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Contains("*"))
        {
            return currentGeneration ?? throw new EntityChangedException(target, 0, null);
        }

        var tags = values.Select(v => TryParse(v) ?? throw ApiProblemException.BadRequest("invalid-if-match",
            $"If-Match '{EntityRoutes.Printable(v)}' is not an entity tag of this API (a quoted generation, e.g. \"1764669600000000\", or *).")).ToList();
        if (currentGeneration is { } current && tags.Contains(current))
        {
            return current;
        }

        throw new EntityChangedException(target, tags[0], currentGeneration);
    }

    /// <summary>The generation in an entity tag (<c>"123"</c>; a weak <c>W/"123"</c> never matches for writes, so it is refused).</summary>
    private static long? TryParse(string tag) =>
        tag.Length > 2 && tag[0] == '"' && tag[^1] == '"' && long.TryParse(tag.AsSpan(1, tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var g)
            ? g
            : null;
}
