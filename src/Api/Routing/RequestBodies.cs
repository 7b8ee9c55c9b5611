using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.Api.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace EccoStudio.Api.Routing;

/// <summary>Reads request bodies with a size limit, a media-type check and a JSON depth limit.</summary>
public static class RequestBodies
{
    public const string Json = "application/json";
    public const string MergePatch = "application/merge-patch+json";

    // Duplicate members are refused while parsing (a JsonException: 400) instead of surfacing later as an
    // ArgumentException from JsonObject (a 500), and so no reader can pick a different one of two values.
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <summary>The body bytes; 413 when above <paramref name="maxBytes"/> (declared or actual).</summary>
    public static async Task<byte[]> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var limitFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (limitFeature is { IsReadOnly: false })
        {
            limitFeature.MaxRequestBodySize = maxBytes + 1L;
        }

        var buffer = new ArrayBufferWriter<byte>(Math.Min(maxBytes + 1, 16 * 1024));
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(8192);
                var read = await request.Body.ReadAsync(memory, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Checks the media type, reads and parses a JSON object body.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, int maxBytes, string[] mediaTypes, CancellationToken cancellationToken)
    {
        RequireMediaType(request, mediaTypes);
        var bytes = await ReadAsync(request, maxBytes, cancellationToken);
        return ParseObject(bytes);
    }

    public static JsonObject ParseObject(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            throw ApiProblemException.BadRequest("empty-body", "The request body is empty; a JSON object is required.");
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes, documentOptions: JsonOptions);
        }
        catch (ArgumentException e)
        {
            throw new JsonException(e.Message, e);
        }

        return node as JsonObject
            ?? throw ApiProblemException.BadRequest("not-an-object", $"The body must be a JSON object, not {(node is null ? "null" : node.GetValueKind().ToString().ToLowerInvariant())}.");
    }

    public static void RequireMediaType(HttpRequest request, string[] mediaTypes)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) || parsed.MediaType.Value is not { } actual
            || !mediaTypes.Contains(actual, StringComparer.OrdinalIgnoreCase))
        {
            throw new ApiProblemException(415, "unsupported-media-type", "Unsupported media type",
                $"Content-Type '{EntityRoutes.Printable(request.ContentType)}' is not accepted here; use {string.Join(" or ", mediaTypes)}.");
        }

        if (parsed.Charset.HasValue && !parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiProblemException(415, "unsupported-charset", "Unsupported media type", "Only UTF-8 bodies are accepted.");
        }
    }

    private static ApiProblemException TooLarge(int maxBytes) =>
        new(413, "payload-too-large", "Payload too large", $"The request body exceeds {maxBytes} bytes.");
}
