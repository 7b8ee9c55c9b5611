using Microsoft.AspNetCore.Http.Features;

namespace EccoStudio.GcsEmulator.Faults;

/// <summary>Finds the object name a storage request is about, for <see cref="FaultSettings.ObjectPrefix"/> rules.</summary>
public static class FaultTarget
{
    private static readonly string[] ObjectSuffixes = ["/rewriteTo/", "/copyTo/", "/acl"];

    /// <summary>
    /// The object name of the request, or null when the URL names none: <c>/storage/v1/b/B/o/NAME[/...]</c> and
    /// <c>/download/storage/v1/b/B/o/NAME</c> (path segment URL-decoded; for copy/rewrite the source), or the
    /// <c>name</c> query parameter of <c>/upload/storage/v1/b/B/o</c> (or <c>/resumable/upload/...</c>, as gcloud sends). Uploads that name the object only in their
    /// body (multipart metadata, resumable sessions and their chunks) have no name here.
    /// </summary>
    public static string? ObjectName(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var rawPath = string.IsNullOrEmpty(rawTarget)
            ? context.Request.PathBase.Add(context.Request.Path).ToUriComponent()
            : StripQuery(rawTarget);
        return ObjectName(rawPath, context.Request.Query["name"].ToString());
    }

    /// <summary>The same, from a raw (still URL-encoded) path and the decoded <c>name</c> query value.</summary>
    public static string? ObjectName(string rawPath, string? nameQuery)
    {
        if (rawPath.StartsWith("/upload/", StringComparison.Ordinal)
            || rawPath.StartsWith("/resumable/upload/", StringComparison.Ordinal))
        {
            return string.IsNullOrEmpty(nameQuery) ? null : nameQuery;
        }

        if (rawPath.StartsWith("/download/", StringComparison.Ordinal))
        {
            rawPath = rawPath["/download".Length..];
        }

        if (!rawPath.StartsWith("/storage/v1/b/", StringComparison.Ordinal))
        {
            return null;
        }

        var objectsAt = rawPath.IndexOf("/o/", "/storage/v1/b/".Length, StringComparison.Ordinal);
        if (objectsAt < 0)
        {
            return null;
        }

        var encoded = rawPath[(objectsAt + 3)..];
        foreach (var suffix in ObjectSuffixes)
        {
            var at = encoded.IndexOf(suffix, StringComparison.Ordinal);
            if (at >= 0)
            {
                encoded = encoded[..at];
            }
        }

        if (encoded.EndsWith("/compose", StringComparison.Ordinal))
        {
            encoded = encoded[..^"/compose".Length];
        }

        return encoded.Length == 0 ? null : Uri.UnescapeDataString(encoded);
    }

    private static string StripQuery(string rawTarget)
    {
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? rawTarget : rawTarget[..q];
    }
}
