using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EccoStudio.Storage.Json;

/// <summary>
/// The one serialisation every stored object uses: compact (no insignificant whitespace), member order kept,
/// numbers written as given, minimal escaping (UTF-8 kept; only what JSON requires is escaped). Deterministic, so
/// the same document always gives the same bytes (history appends compare bytes).
/// </summary>
public static class JsonText
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static byte[] ToBytes(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            if (node is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                node.WriteTo(writer);
            }
        }

        return buffer.ToArray();
    }

    public static string ToText(JsonNode? node) => Encoding.UTF8.GetString(ToBytes(node));

    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8)
    {
        var node = JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false, AllowDuplicateProperties = false });
        return node as JsonObject ?? throw new JsonException("Expected a JSON object.");
    }

    public static JsonObject ParseObject(string text) => ParseObject(Encoding.UTF8.GetBytes(text));

    /// <summary>A detached deep copy.</summary>
    public static JsonObject Clone(JsonObject source) => (JsonObject)source.DeepClone();
}
