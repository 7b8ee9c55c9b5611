using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Errors;
using EccoStudio.GcsEmulator.Model;
using Microsoft.AspNetCore.Http.Features;

namespace EccoStudio.GcsEmulator.Api;

/// <summary>Request parsing shared by the handlers: raw path segments, query values, preconditions, bodies.</summary>
public static class GcsRequest
{
    /// <summary>The path split on '/', each segment percent-decoded (so %2F inside a name stays inside it).</summary>
    public static string[] Segments(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
        {
            raw = context.Request.Path.Value ?? "/";
        }

        var q = raw.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            raw = raw[..q];
        }

        var parts = raw[1..].Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = Uri.UnescapeDataString(parts[i]);
        }

        return parts;
    }

    /// <summary>scheme://host/ of the request, for selfLink and mediaLink.</summary>
    public static string BaseAddress(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}/";

    public static string? Query(HttpContext context, string key)
    {
        var v = context.Request.Query[key];
        return v.Count == 0 ? null : v[0];
    }

    public static long? Number(HttpContext context, string key)
    {
        var v = Query(context, key);
        if (string.IsNullOrEmpty(v))
        {
            return null;
        }

        return long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
            ? l
            : throw GcsException.BadRequest($"Invalid value for parameter '{key}': {v}");
    }

    public static bool Bool(HttpContext context, string key)
    {
        var v = Query(context, key);
        return !string.IsNullOrEmpty(v) && (bool.TryParse(v, out var b)
            ? b
            : throw GcsException.BadRequest($"Invalid value for parameter '{key}': {v}"));
    }

    public static Preconditions Preconditions(HttpContext context, string prefix = "if") =>
        new(
            Number(context, prefix + "GenerationMatch"),
            Number(context, prefix + "GenerationNotMatch"),
            Number(context, prefix + "MetagenerationMatch"),
            Number(context, prefix + "MetagenerationNotMatch"));

    public static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = context.Request.ContentLength is { } len and < int.MaxValue
            ? new MemoryStream((int)len)
            : new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        return buffer.ToArray();
    }

    /// <summary>The body as a JSON object; empty body = empty object; anything else is 400.</summary>
    public static async Task<JsonObject> ReadJsonAsync(HttpContext context)
    {
        var bytes = await ReadBodyAsync(context);
        return ParseJsonObject(IsGzipped(context) ? Gunzip(bytes) : bytes);
    }

    /// <summary>True when the request body is sent with Content-Encoding: gzip (the Google client gzips JSON bodies).</summary>
    public static bool IsGzipped(HttpContext context) =>
        context.Request.Headers.ContentEncoding.Any(v => v is not null && v.Contains("gzip", StringComparison.OrdinalIgnoreCase));

    public static byte[] Gunzip(byte[] bytes)
    {
        try
        {
            using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw GcsException.BadRequest($"The gzip request body is invalid: {e.Message}");
        }
    }

    public static JsonObject ParseJsonObject(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes.Trim((byte)' ').IsEmpty)
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(bytes) as JsonObject ?? throw GcsException.BadRequest("The request body must be a JSON object.", "parseError");
        }
        catch (JsonException e)
        {
            throw GcsException.BadRequest($"Parse Error: {e.Message}", "parseError");
        }
    }
}
