using System.Text;
using System.Text.Json.Nodes;

namespace EccoStudio.Reliability.Tests.Support;

/// <summary>
/// Hostile Pub/Sub pushes (verification off, as in dev). A malformed envelope is a 4xx (Pub/Sub keeps it for
/// retry/dead-letter); a well-formed notification naming a hostile or foreign object is acknowledged with 204 and
/// ignored (a 4xx there would make Pub/Sub redeliver it forever). Either way nothing is written.
/// </summary>
public static class BridgeCorpus
{
    public const string Path = "api/pubsub/gcs-events";

    public static IReadOnlyDictionary<string, (BadInputCase Case, int Expected)> All { get; } =
        Build().ToDictionary(c => c.Case.Name, StringComparer.Ordinal);

    private static IEnumerable<(BadInputCase Case, int Expected)> Build()
    {
        yield return (Raw("push 10 MB", $$"""{"message":{"messageId":"1","data":"{{new string('A', 10 * 1024 * 1024)}}"},"subscription":"s"}"""), 413);
        yield return (Raw("push 100,000-deep", """{"message":""" + new string('[', 100_000) + new string(']', 100_000) + "}"), 400);
        yield return (Raw("push data number", """{"message":{"messageId":"1","data":42},"subscription":"s"}"""), 400);
        yield return (Raw("push top-level array", """[{"message":{}}]"""), 400);
        yield return (new BadInputCase("push raw NUL byte", "POST", Path, [.. """{"message":{"messageId":"1","#"""u8.ToArray(), 0, .. "\"}}"u8.ToArray()]), 400);
        yield return (Raw("push data not json and no attributes", """{"message":{"messageId":"1","data":"bm90IGpzb24="},"subscription":"s"}"""), 400);
        yield return (Push("push fullwidth generation", "env/dev/ventures/V001/history/2025/11/06/2025-11-06T10:00:00Z_01HFB9ZK3Q7W8X9Y0ABCDEFGHJ.json",
            generation: "\uFF11\uFF12"), 400);
        yield return (Push("push traversal object", "env/dev/ventures/../../snapshots/ventures/V001/history/2025/11/06/2025-11-06T10:00:00Z_01HFB9ZK3Q7W8X9Y0ABCDEFGHJ.json"), 204);
        yield return (Push("push NUL in object name", "env/dev/ventures/V\u0000001/history/2025/11/06/2025-11-06T10:00:00Z_01HFB9ZK3Q7W8X9Y0ABCDEFGHJ.json"), 204);
        yield return (Push("push confusable id", "env/dev/ventures/V001\u2215x/history/2025/11/06/2025-11-06T10:00:00Z_01HFB9ZK3Q7W8X9Y0ABCDEFGHJ.json"), 204);
        yield return (Push("push foreign bucket", "env/dev/ventures/V001/history/2025/11/06/2025-11-06T10:00:00Z_01HFB9ZK3Q7W8X9Y0ABCDEFGHJ.json", bucket: "someone-else"), 204);
        yield return (Push("push delete event", "env/dev/ventures/V001/history/2025/11/06/2025-11-06T10:00:00Z_01HFB9ZK3Q7W8X9Y0ABCDEFGHJ.json", eventType: "OBJECT_DELETE"), 204);
        yield return (Push("push unserved env", "env/prod/ventures/V001/history/2025/11/06/2025-11-06T10:00:00Z_01HFB9ZK3Q7W8X9Y0ABCDEFGHJ.json"), 204);
    }

    private static BadInputCase Raw(string name, string body) => new(name, "POST", Path, Encoding.UTF8.GetBytes(body));

    /// <summary>A well-formed push; <c>{bucket}</c> is replaced by the host's bucket at send time.</summary>
    private static BadInputCase Push(string name, string objectId, string bucket = "{bucket}", string generation = "5", string eventType = "OBJECT_FINALIZE")
    {
        var body = new JsonObject
        {
            ["message"] = new JsonObject
            {
                ["messageId"] = "m-" + name.Length,
                ["attributes"] = new JsonObject { ["eventType"] = eventType, ["bucketId"] = bucket, ["objectId"] = objectId, ["objectGeneration"] = generation },
            },
            ["subscription"] = "projects/p/subscriptions/s",
        };
        return new BadInputCase(name, "POST", Path, Encoding.UTF8.GetBytes(body.ToJsonString()));
    }
}
