using System.Globalization;
using System.Text.RegularExpressions;
using EccoStudio.GcsEmulator.Errors;
using EccoStudio.GcsEmulator.Model;
using EccoStudio.GcsEmulator.Store;

namespace EccoStudio.GcsEmulator.Api;

public sealed partial class GcsApi
{
    private async Task UploadAsync(HttpContext context, string bucket)
    {
        var uploadType = GcsRequest.Query(context, "uploadType") ?? "media";
        switch (uploadType)
        {
            case "media":
                await MediaUploadAsync(context, bucket);
                break;
            case "multipart":
                await MultipartUploadAsync(context, bucket);
                break;
            case "resumable":
                await StartResumableAsync(context, bucket);
                break;
            default:
                throw GcsException.BadRequest($"Invalid uploadType: {uploadType}");
        }
    }

    private static ObjectWrite WithQueryFields(HttpContext context, ObjectWrite write) => write with
    {
        Name = GcsRequest.Query(context, "name") is { Length: > 0 } n && write.Name.Length == 0 ? n : write.Name,
        ContentEncoding = write.ContentEncoding ?? GcsRequest.Query(context, "contentEncoding"),
        KmsKeyName = write.KmsKeyName ?? GcsRequest.Query(context, "kmsKeyName"),
    };

    private async Task MediaUploadAsync(HttpContext context, string bucket)
    {
        var write = WithQueryFields(context, new ObjectWrite { Name = string.Empty, ContentType = context.Request.ContentType });
        ObjectNames.ValidateObjectName(write.Name);
        var data = await GcsRequest.ReadBodyAsync(context);
        var meta = store.PutObject(bucket, write, data, GcsRequest.Preconditions(context));
        await GcsResponses.JsonAsync(context, ResourceJson.ObjectResource(meta, GcsRequest.BaseAddress(context)));
    }

    private async Task MultipartUploadAsync(HttpContext context, string bucket)
    {
        if (Boundary(context.Request.ContentType) is not { Length: > 0 } boundary)
        {
            throw GcsException.BadRequest($"A multipart/related body with a boundary is required (Content-Type: {context.Request.ContentType}).");
        }

        var raw = await GcsRequest.ReadBodyAsync(context);
        var parts = MultipartRelated.Parse(GcsRequest.IsGzipped(context) ? GcsRequest.Gunzip(raw) : raw, boundary);
        if (parts.Count < 2)
        {
            throw GcsException.BadRequest("A multipart upload needs a metadata part and a media part.");
        }

        var json = GcsRequest.ParseJsonObject(parts[0].Body);
        var media = parts[1];
        var write = WithQueryFields(context, ObjectFields.ToWrite(json, null));
        write = write with { ContentType = write.ContentType ?? media.ContentType };
        ObjectNames.ValidateObjectName(write.Name);
        var meta = store.PutObject(bucket, write, media.Body, GcsRequest.Preconditions(context));
        await GcsResponses.JsonAsync(context, ResourceJson.ObjectResource(meta, GcsRequest.BaseAddress(context)));
    }

    private async Task StartResumableAsync(HttpContext context, string bucket)
    {
        var json = await GcsRequest.ReadJsonAsync(context);
        var write = WithQueryFields(context, ObjectFields.ToWrite(json, null));
        write = write with { ContentType = write.ContentType ?? context.Request.Headers["X-Upload-Content-Type"].FirstOrDefault() };
        ObjectNames.ValidateObjectName(write.Name);
        store.GetBucket(bucket, Preconditions.None);
        var session = sessions.Create(bucket, write, GcsRequest.Preconditions(context));
        var location = $"{GcsRequest.BaseAddress(context)}upload/storage/v1/b/{Uri.EscapeDataString(bucket)}/o"
            + $"?uploadType=resumable&name={Uri.EscapeDataString(write.Name)}&upload_id={session.Id}";
        context.Response.Headers.Location = location;
        context.Response.Headers["X-GUploader-UploadID"] = session.Id;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    private Task CancelUploadAsync(HttpContext context)
    {
        var session = sessions.Find(GcsRequest.Query(context, "upload_id"))
            ?? throw GcsException.NotFound("No such upload session.");
        sessions.Remove(session.Id);
        context.Response.StatusCode = 499;
        return Task.CompletedTask;
    }

    private async Task ResumableChunkAsync(HttpContext context, string bucket)
    {
        var session = sessions.Find(GcsRequest.Query(context, "upload_id"))
            ?? throw GcsException.NotFound("No such upload session.");
        if (session.Bucket != bucket)
        {
            throw GcsException.NotFound("No such upload session.");
        }

        var range = ParseContentRange(context.Request.Headers.ContentRange.FirstOrDefault());
        var body = await GcsRequest.ReadBodyAsync(context);
        ObjectMeta? result;
        long received;
        lock (session.Sync)
        {
            if (session.Result is null)
            {
                Apply(session, range, body);
            }

            result = session.Result;
            received = session.Received.Length;
        }

        if (result is not null)
        {
            await GcsResponses.JsonAsync(context, ResourceJson.ObjectResource(result, GcsRequest.BaseAddress(context)));
            return;
        }

        context.Response.StatusCode = 308;
        if (received > 0)
        {
            context.Response.Headers.Range = $"bytes=0-{Str(received - 1)}";
        }

        context.Response.ContentLength = 0;
    }

    /// <summary>
    /// Appends a chunk and finalizes when the total is known and reached (called under the session lock). The forms
    /// official clients send: no Content-Range (the whole object); <c>bytes F-L/T|*</c> (one chunk; T on the last);
    /// <c>bytes F-*/T|*</c> (the rest of the object streamed in this request, so the request's end is the object's end);
    /// <c>bytes */T</c> (finalize at T, usually with an empty body); <c>bytes */*</c> (status query). A chunk that
    /// starts before what was received overlaps a retried chunk: the new bytes beyond the received length are kept.
    /// </summary>
    private void Apply(UploadSession session, ContentRange range, byte[] body)
    {
        var received = session.Received;
        var total = range.Total;
        if (range.IsWholeBody)
        {
            received.SetLength(0);
            received.Write(body);
            total = received.Length;
        }
        else if (range.First is { } first)
        {
            if (first > received.Length)
            {
                throw GcsException.BadRequest($"The chunk starts at byte {Str(first)} but only {Str(received.Length)} bytes were received.");
            }

            if (range.Last is { } last && body.LongLength != last - first + 1)
            {
                throw GcsException.BadRequest("The Content-Range does not match the number of bytes sent.");
            }

            var skip = received.Length - first;
            if (body.LongLength > skip)
            {
                received.Write(body, (int)skip, (int)(body.LongLength - skip));
            }

            if (range.Last is null && total is null)
            {
                // bytes F-*/*: the body runs to the end of the object.
                total = first + body.LongLength;
            }
        }
        else if (body.Length > 0)
        {
            throw GcsException.BadRequest("A Content-Range of bytes */N carries no data.");
        }

        if (total is { } t && received.Length > t)
        {
            throw GcsException.BadRequest("More bytes were sent than the declared total.");
        }

        if (total is { } complete && received.Length == complete)
        {
            try
            {
                session.Result = store.PutObject(session.Bucket, session.Write, received.ToArray(), session.Preconditions);
            }
            catch (GcsException)
            {
                sessions.Remove(session.Id);
                throw;
            }

            received.SetLength(0);
            received.Capacity = 0;
        }
    }

    /// <summary>The multipart boundary; clients quote it with " or ' (Python's email package uses ').</summary>
    private static string? Boundary(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var part in contentType.Split(';'))
        {
            var p = part.Trim();
            if (p.StartsWith("boundary=", StringComparison.OrdinalIgnoreCase))
            {
                return p["boundary=".Length..].Trim('"', '\'');
            }
        }

        return null;
    }

    private static ContentRange ParseContentRange(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return new ContentRange(null, null, null, IsWholeBody: true);
        }

        var m = ContentRangePattern().Match(header.Trim());
        if (!m.Success)
        {
            throw GcsException.BadRequest($"Invalid Content-Range header: {header}");
        }

        long? total = m.Groups["total"].Value == "*" ? null : ParseLong(m.Groups["total"].Value, header);
        if (!m.Groups["first"].Success)
        {
            return new ContentRange(null, null, total, IsWholeBody: false);
        }

        var first = ParseLong(m.Groups["first"].Value, header);
        long? last = m.Groups["last"].Value == "*" ? null : ParseLong(m.Groups["last"].Value, header);

        // last == first - 1 is an empty chunk: Node's client sends one to declare the total after the data ran out.
        if ((last is { } l && (l < first - 1 || (total is { } t && l >= t))) || (total is { } t2 && first > t2))
        {
            throw GcsException.BadRequest($"Invalid Content-Range header: {header}");
        }

        return new ContentRange(first, last, total, IsWholeBody: false);
    }

    private static long ParseLong(string value, string header) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw GcsException.BadRequest($"Invalid Content-Range header: {header}");

    [GeneratedRegex(@"^bytes\s+(?:(?<first>\d+)-(?<last>\d+|\*)|\*)/(?<total>\d+|\*)$", RegexOptions.CultureInvariant)]
    private static partial Regex ContentRangePattern();

    private sealed record ContentRange(long? First, long? Last, long? Total, bool IsWholeBody);
}
