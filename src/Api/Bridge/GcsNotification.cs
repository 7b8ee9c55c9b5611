using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EccoStudio.Api.Bridge;

/// <summary>
/// A GCS notification as delivered by a Pub/Sub push (<c>{"message":{"data","attributes","messageId"},"subscription"}</c>):
/// attributes <c>eventType</c>, <c>bucketId</c>, <c>objectId</c>, <c>objectGeneration</c>; data = the JSON_API_V1 object
/// resource (or nothing with payload format NONE), whose <c>metadata</c> is kept when present.
/// </summary>
public sealed record GcsNotification(
    string MessageId,
    string EventType,
    string Bucket,
    string ObjectName,
    long? Generation,
    IReadOnlyDictionary<string, string> ObjectMetadata)
{
    public const string FinalizeEvent = "OBJECT_FINALIZE";

    public static GcsNotification Parse(ReadOnlySpan<byte> body)
    {
        JsonObject push;
        try
        {
            push = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 32 }) as JsonObject
                ?? throw new PushEnvelopeException("The push body is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new PushEnvelopeException("The push body is not valid JSON.", e);
        }

        if (push["message"] is not JsonObject message)
        {
            throw new PushEnvelopeException("The push body has no 'message' object.");
        }

        var messageId = Str(message, "messageId") ?? Str(message, "message_id")
            ?? throw new PushEnvelopeException("The message has no messageId.");
        var attributes = message["attributes"] as JsonObject;
        if (message["attributes"] is not null and not JsonObject)
        {
            throw new PushEnvelopeException("message.attributes must be an object.");
        }

        JsonObject? resource = null;
        if (message["data"] is JsonNode dataNode)
        {
            var data = dataNode is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>()
                : throw new PushEnvelopeException("message.data must be a base64 string.");
            if (data.Length > 0)
            {
                byte[] bytes;
                try
                {
                    bytes = Convert.FromBase64String(data);
                }
                catch (FormatException e)
                {
                    throw new PushEnvelopeException("message.data is not base64.", e);
                }

                try
                {
                    resource = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 32 }) as JsonObject;
                }
                catch (JsonException)
                {
                    resource = null;
                }

                if (resource is null && attributes is null)
                {
                    throw new PushEnvelopeException("message.data is not a JSON object resource and there are no attributes.");
                }
            }
        }

        var objectName = (attributes is null ? null : Str(attributes, "objectId")) ?? (resource is null ? null : Str(resource, "name"))
            ?? throw new PushEnvelopeException("The notification names no object (attributes.objectId / data.name).");
        var bucket = (attributes is null ? null : Str(attributes, "bucketId")) ?? (resource is null ? null : Str(resource, "bucket"))
            ?? throw new PushEnvelopeException("The notification names no bucket (attributes.bucketId / data.bucket).");
        var eventType = (attributes is null ? null : Str(attributes, "eventType")) ?? FinalizeEvent;
        var generationText = (attributes is null ? null : Str(attributes, "objectGeneration")) ?? (resource is null ? null : Str(resource, "generation"));
        long? generation = null;
        if (generationText is not null)
        {
            generation = long.TryParse(generationText, NumberStyles.None, CultureInfo.InvariantCulture, out var g)
                ? g
                : throw new PushEnvelopeException("objectGeneration is not a number.");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (resource?["metadata"] is JsonObject meta)
        {
            foreach (var (key, value) in meta)
            {
                if (value is JsonValue s && s.GetValueKind() == JsonValueKind.String)
                {
                    metadata[key] = s.GetValue<string>();
                }
            }
        }

        return new GcsNotification(messageId, eventType, bucket, objectName, generation, metadata);
    }

    /// <summary>Builds the data of a JSON_API_V1 notification (tests and tools).</summary>
    public static string EncodeResource(JsonObject resource) => Convert.ToBase64String(Encoding.UTF8.GetBytes(resource.ToJsonString()));

    private static string? Str(JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
