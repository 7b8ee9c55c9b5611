using System.Text;
using EccoStudio.GcsEmulator.Errors;

namespace EccoStudio.GcsEmulator.Api;

/// <summary>One part of a multipart/related body.</summary>
public sealed record MultipartPart(string? ContentType, byte[] Body);

/// <summary>
/// A tolerant multipart/related reader: accepts CRLF or bare LF line ends (Python's email package, used by
/// gcloud, writes LF) and quoted boundaries.
/// </summary>
public static class MultipartRelated
{
    public static IReadOnlyList<MultipartPart> Parse(byte[] body, string boundary)
    {
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var parts = new List<MultipartPart>();
        ReadOnlySpan<byte> span = body;
        var start = span.IndexOf(delimiter);
        if (start < 0)
        {
            throw GcsException.BadRequest("The multipart body does not contain its boundary.");
        }

        var position = start + delimiter.Length;
        while (true)
        {
            // "--" after a delimiter closes the body.
            if (span[position..].StartsWith("--"u8))
            {
                break;
            }

            position = SkipLineEnd(span, position);
            var next = span[position..].IndexOf(delimiter);
            if (next < 0)
            {
                throw GcsException.BadRequest("The multipart body is not terminated by its closing boundary.");
            }

            var part = span.Slice(position, next);
            part = TrimOneLineEnd(part);
            parts.Add(ParsePart(part));
            position += next + delimiter.Length;
            if (position > span.Length)
            {
                break;
            }
        }

        return parts;
    }

    private static int SkipLineEnd(ReadOnlySpan<byte> span, int position)
    {
        if (span[position..].StartsWith("\r\n"u8))
        {
            return position + 2;
        }

        return span[position..].StartsWith("\n"u8) ? position + 1 : position;
    }

    private static ReadOnlySpan<byte> TrimOneLineEnd(ReadOnlySpan<byte> part)
    {
        if (part.EndsWith("\r\n"u8))
        {
            return part[..^2];
        }

        return part.EndsWith("\n"u8) ? part[..^1] : part;
    }

    private static MultipartPart ParsePart(ReadOnlySpan<byte> part)
    {
        string? contentType = null;
        var position = 0;
        while (position < part.Length)
        {
            var lineEnd = part[position..].IndexOf((byte)'\n');
            var line = lineEnd < 0 ? part[position..] : part.Slice(position, lineEnd);
            position = lineEnd < 0 ? part.Length : position + lineEnd + 1;
            if (line.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                return new MultipartPart(contentType, part[position..].ToArray());
            }

            var text = Encoding.UTF8.GetString(line);
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && text[..colon].Trim().Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = text[(colon + 1)..].Trim();
            }
        }

        // Headers only, no blank line: an empty body.
        return new MultipartPart(contentType, []);
    }
}
