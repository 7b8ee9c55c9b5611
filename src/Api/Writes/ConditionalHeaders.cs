using System.Globalization;
using EccoStudio.Api.Problems;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Snapshots;
using Microsoft.AspNetCore.Http;

namespace EccoStudio.Api.Writes;

/// <summary>
/// <c>If-Match</c> / <c>If-None-Match</c> on writes (PUT, PATCH, DELETE), as docs/api.md "Conditional requests"
/// describes: the entity's ETag is <c>"{snapshot generation}"</c>; <c>If-Match</c> compares strongly (a weak or
/// foreign tag never matches); <c>If-None-Match: *</c> means create only. The parsed condition is checked here at
/// acceptance and travels with the write to be enforced again at the snapshot swap.
/// </summary>
public static class ConditionalHeaders
{
    /// <summary>A generation no snapshot has: what a tag this API never issued stands for (so it never matches).</summary>
    private const long Foreign = -1;

    /// <summary>The condition the request carries, or null when it has neither header.</summary>
    /// <exception cref="ApiProblemException">400 when a header is not an entity-tag list.</exception>
    public static SnapshotPrecondition? Parse(HttpRequest request)
    {
        var ifMatch = Tags(request, "If-Match", weakMatches: false);
        var ifNoneMatch = Tags(request, "If-None-Match", weakMatches: true);
        if (ifMatch is null && ifNoneMatch is null)
        {
            return null;
        }

        return new SnapshotPrecondition(
            MatchGenerations: ifMatch is { Any: false } m ? m.Generations : null,
            MustExist: ifMatch is { Any: true },
            MustNotExist: ifNoneMatch is { Any: true },
            NoneMatchGenerations: ifNoneMatch is { Any: false } n ? n.Generations : null);
    }

    /// <summary>412 problem (nothing scheduled) when <paramref name="current"/> does not satisfy the condition.</summary>
    public static void EnsureSatisfied(SnapshotPrecondition? precondition, SnapshotState? current, EntityTarget target)
    {
        if (precondition?.Violation(current) is { } violation)
        {
            throw new ApiProblemException(StatusCodes.Status412PreconditionFailed, "precondition-failed", "Precondition failed",
                $"{target}: {violation} Nothing was written.");
        }
    }

    private sealed record TagList(bool Any, IReadOnlyList<long> Generations);

    private static TagList? Tags(HttpRequest request, string header, bool weakMatches)
    {
        if (!request.Headers.TryGetValue(header, out var values))
        {
            return null;
        }

        var generations = new List<long>();
        var any = false;
        foreach (var value in values)
        {
            foreach (var raw in (value ?? string.Empty).Split(','))
            {
                var tag = raw.Trim();
                if (tag.Length == 0)
                {
                    continue;
                }

                if (tag == "*")
                {
                    any = true;
                    continue;
                }

                var weak = tag.StartsWith("W/", StringComparison.Ordinal);
                var quoted = weak ? tag[2..] : tag;
                if (quoted.Length < 2 || quoted[0] != '"' || quoted[^1] != '"' || quoted[1..^1].Contains('"', StringComparison.Ordinal))
                {
                    throw ApiProblemException.BadRequest("invalid-precondition",
                        $"{header} must be * or a list of quoted entity tags such as \"12345\" (the ETag a GET returned).");
                }

                var opaque = quoted[1..^1];
                generations.Add((weak && !weakMatches) || !long.TryParse(opaque, NumberStyles.None, CultureInfo.InvariantCulture, out var g) || g <= 0
                    ? Foreign
                    : g);
            }
        }

        if (any && generations.Count > 0)
        {
            throw ApiProblemException.BadRequest("invalid-precondition", $"{header}: * cannot be combined with entity tags.");
        }

        if (!any && generations.Count == 0)
        {
            throw ApiProblemException.BadRequest("invalid-precondition", $"{header} is empty.");
        }

        return new TagList(any, generations);
    }
}
