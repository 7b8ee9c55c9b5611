using System.IO.Compression;
using System.Text.RegularExpressions;
using EccoStudio.GcsEmulator.Errors;
using Microsoft.AspNetCore.Http;

namespace EccoStudio.GcsEmulator.Api;

public sealed partial class GcsApi
{
    /// <summary>
    /// Media download: Range (206/416), generation, read preconditions, and decompressive transcoding of
    /// gzip-encoded objects unless the request accepts gzip.
    /// </summary>
    private async Task DownloadAsync(HttpContext context, string bucket, string name)
    {
        var meta = store.GetObject(bucket, name, GcsRequest.Number(context, "generation"), GcsRequest.Preconditions(context));
        var data = store.ReadData(meta);
        var headers = context.Response.Headers;
        headers["x-goog-generation"] = Str(meta.Generation);
        headers["x-goog-metageneration"] = Str(meta.Metageneration);
        headers["x-goog-stored-content-encoding"] = meta.ContentEncoding ?? "identity";
        headers["x-goog-stored-content-length"] = Str(meta.Size);
        headers.ETag = $"\"{ResourceJson.ObjectEtag(meta)}\"";
        headers.LastModified = meta.Updated.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        headers.AcceptRanges = "bytes";
        context.Response.ContentType = meta.ContentType ?? "application/octet-stream";
        if (meta.ContentDisposition is not null) headers.ContentDisposition = meta.ContentDisposition;
        if (meta.ContentLanguage is not null) headers.ContentLanguage = meta.ContentLanguage;
        if (meta.CacheControl is not null) headers.CacheControl = meta.CacheControl;

        var gzipStored = string.Equals(meta.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase);
        if (gzipStored && !AcceptsGzip(context))
        {
            // Decompressive transcoding: no hash of the served bytes, Range ignored.
            headers["Warning"] = "214 UploadServer gunzipped";
            var plain = Gunzip(data);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentLength = plain.Length;
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await context.Response.Body.WriteAsync(plain, context.RequestAborted);
            }

            return;
        }

        if (gzipStored)
        {
            headers.ContentEncoding = "gzip";
        }

        var (status, offset, length) = SelectRange(context.Request.Headers.Range.FirstOrDefault(), data.LongLength);
        if (status == StatusCodes.Status416RangeNotSatisfiable)
        {
            headers.ContentRange = $"bytes */{Str(data.LongLength)}";
            throw new GcsException(status, "requestedRangeNotSatisfiable", "The requested range cannot be satisfied.");
        }

        if (status == StatusCodes.Status206PartialContent)
        {
            headers.ContentRange = $"bytes {Str(offset)}-{Str(offset + length - 1)}/{Str(data.LongLength)}";
        }
        else
        {
            // Hashes of the whole object; not sent with a partial body, where clients would check them against the slice.
            headers["x-goog-hash"] = meta.Md5Hash is null ? $"crc32c={meta.Crc32c}" : $"crc32c={meta.Crc32c},md5={meta.Md5Hash}";
        }

        context.Response.StatusCode = status;
        context.Response.ContentLength = length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(data.AsMemory((int)offset, (int)length), context.RequestAborted);
        }
    }

    private static bool AcceptsGzip(HttpContext context) =>
        context.Request.Headers.AcceptEncoding.Any(v => v is not null
            && v.Split(',').Any(p => p.Trim().StartsWith("gzip", StringComparison.OrdinalIgnoreCase) && !p.Replace(" ", "", StringComparison.Ordinal).EndsWith("q=0", StringComparison.Ordinal)));

    private static byte[] Gunzip(byte[] data)
    {
        try
        {
            using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            // Stored with contentEncoding gzip but not gzip data: GCS serves it as stored.
            return data;
        }
    }

    /// <summary>Status (200/206/416), offset and length for a Range header over <paramref name="size"/> bytes.</summary>
    internal static (int Status, long Offset, long Length) SelectRange(string? header, long size)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return (StatusCodes.Status200OK, 0, size);
        }

        var m = RangePattern().Match(header.Trim());
        if (!m.Success)
        {
            return (StatusCodes.Status200OK, 0, size);
        }

        var hasFirst = long.TryParse(m.Groups["first"].Value, out var first);
        var hasLast = long.TryParse(m.Groups["last"].Value, out var last);
        if (!hasFirst && !hasLast)
        {
            return (StatusCodes.Status200OK, 0, size);
        }

        if (!hasFirst)
        {
            // Suffix range: the last N bytes.
            if (last == 0)
            {
                return (StatusCodes.Status416RangeNotSatisfiable, 0, 0);
            }

            var n = Math.Min(last, size);
            return n == 0 ? (StatusCodes.Status200OK, 0, 0) : (StatusCodes.Status206PartialContent, size - n, n);
        }

        if (first >= size || (hasLast && last < first))
        {
            return (StatusCodes.Status416RangeNotSatisfiable, 0, 0);
        }

        var end = hasLast ? Math.Min(last, size - 1) : size - 1;
        return (StatusCodes.Status206PartialContent, first, end - first + 1);
    }

    [GeneratedRegex(@"^bytes=(?<first>\d*)-(?<last>\d*)$", RegexOptions.CultureInvariant)]
    private static partial Regex RangePattern();
}
