using System.Globalization;
using System.Text.Json.Nodes;
using EccoStudio.Api.Bridge;

namespace EccoStudio.Api.Tests.Fakes;

/// <summary>Pub/Sub push bodies carrying GCS notifications (attributes + JSON_API_V1 data), as Pub/Sub posts them.</summary>
public static class PushBodies
{
    public static string Finalize(string messageId, string bucket, string objectName, long generation,
        IReadOnlyDictionary<string, string>? metadata = null, string eventType = GcsNotification.FinalizeEvent)
    {
        var resource = new JsonObject
        {
            ["kind"] = "storage#object",
            ["bucket"] = bucket,
            ["name"] = objectName,
            ["generation"] = generation.ToString(CultureInfo.InvariantCulture),
        };
        if (metadata is not null)
        {
            var meta = new JsonObject();
            foreach (var (key, value) in metadata)
            {
                meta[key] = value;
            }

            resource["metadata"] = meta;
        }

        return new JsonObject
        {
            ["message"] = new JsonObject
            {
                ["messageId"] = messageId,
                ["attributes"] = new JsonObject
                {
                    ["eventType"] = eventType,
                    ["bucketId"] = bucket,
                    ["objectId"] = objectName,
                    ["objectGeneration"] = generation.ToString(CultureInfo.InvariantCulture),
                    ["payloadFormat"] = "JSON_API_V1",
                },
                ["data"] = GcsNotification.EncodeResource(resource),
            },
            ["subscription"] = "projects/ecco-local/subscriptions/ecco-gcs-bridge",
        }.ToJsonString();
    }
}
