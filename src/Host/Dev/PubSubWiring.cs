using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace EccoStudio.Host.Dev;

/// <summary>Creates (idempotently) the topic and the push subscription on a Pub/Sub emulator over its REST API.</summary>
public sealed class PubSubWiring(HttpClient http, string project)
{
    public string TopicPath(string topic) => $"projects/{project}/topics/{topic}";

    public async Task EnsureTopicAsync(string topic, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsync(new Uri($"v1/{TopicPath(topic)}", UriKind.Relative), Json(new JsonObject()), cancellationToken);
        await EnsureAsync(response, "create topic " + topic, cancellationToken);
    }

    /// <summary>Creates the push subscription, or points an existing one at <paramref name="endpoint"/>.</summary>
    public async Task EnsurePushSubscriptionAsync(string subscription, string topic, Uri endpoint, CancellationToken cancellationToken)
    {
        var path = $"projects/{project}/subscriptions/{subscription}";
        var pushConfig = new JsonObject { ["pushEndpoint"] = endpoint.ToString() };
        using var created = await http.PutAsync(new Uri($"v1/{path}", UriKind.Relative),
            Json(new JsonObject { ["topic"] = TopicPath(topic), ["pushConfig"] = pushConfig, ["ackDeadlineSeconds"] = 30 }), cancellationToken);
        if (created.StatusCode != HttpStatusCode.Conflict)
        {
            await EnsureAsync(created, "create subscription " + subscription, cancellationToken);
            return;
        }

        using var modified = await http.PostAsync(new Uri($"v1/{path}:modifyPushConfig", UriKind.Relative),
            Json(new JsonObject { ["pushConfig"] = pushConfig.DeepClone() }), cancellationToken);
        await EnsureAsync(modified, "update subscription " + subscription, cancellationToken);
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode || (response.StatusCode == HttpStatusCode.Conflict && what.StartsWith("create topic", StringComparison.Ordinal)))
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new InvalidOperationException($"Pub/Sub emulator: {what} failed with {(int)response.StatusCode}: {text}");
    }
}
