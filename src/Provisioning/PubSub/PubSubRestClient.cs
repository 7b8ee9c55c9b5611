using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Store;
using Google.Apis.Auth.OAuth2;

namespace EccoStudio.Provisioning.PubSub;

/// <summary>
/// The Pub/Sub v1 REST API (the gRPC client library is not served here): topics, subscriptions (create, get, patch
/// with an update mask), pull, acknowledge, nack and publish. Against the emulator it sends no credentials; against
/// Google it attaches an access token from application default credentials (which may be a workload identity
/// federation config, docs/operations.md).
/// </summary>
public sealed class PubSubRestClient : IDisposable
{
    public const string ProductionEndpoint = "https://pubsub.googleapis.com/";
    private const string Scope = "https://www.googleapis.com/auth/pubsub";
    private readonly HttpClient _http;
    private readonly ITokenAccess? _credential;

    private PubSubRestClient(HttpClient http, ITokenAccess? credential)
    {
        _http = http;
        _credential = credential;
    }

    public Uri Endpoint => _http.BaseAddress!;

    /// <summary>An emulator at host:port or http://host:port/ (no credentials).</summary>
    public static PubSubRestClient ForEmulator(string hostOrUrl)
    {
        var text = hostOrUrl.Contains("://", StringComparison.Ordinal) ? hostOrUrl : "http://" + hostOrUrl;
        return new PubSubRestClient(new HttpClient { BaseAddress = new Uri(text.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(60) }, null);
    }

    /// <summary>
    /// Google Pub/Sub with the same credentials as the storage client: the file GOOGLE_APPLICATION_CREDENTIALS names
    /// (loaded by <see cref="GoogleCredentialFile"/>, so a bad file is one clear error), else gcloud's login or the
    /// metadata server.
    /// </summary>
    public static async Task<PubSubRestClient> ForProductionAsync(CancellationToken cancellationToken)
    {
        var credential = (GoogleCredentialFile.Load(null) ?? await GoogleCredential.GetApplicationDefaultAsync(cancellationToken)).CreateScoped(Scope);
        return new PubSubRestClient(new HttpClient { BaseAddress = new Uri(ProductionEndpoint), Timeout = TimeSpan.FromSeconds(60) }, credential);
    }

    public Task<JsonObject?> GetTopicAsync(string topicPath, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, topicPath, null, "topic " + topicPath, cancellationToken, allowNotFound: true);

    public async Task CreateTopicAsync(string topicPath, CancellationToken cancellationToken) =>
        _ = await SendAsync(HttpMethod.Put, topicPath, new JsonObject(), "topic " + topicPath, cancellationToken, allowConflict: true);

    public Task<JsonObject?> GetSubscriptionAsync(string subscriptionPath, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, subscriptionPath, null, "subscription " + subscriptionPath, cancellationToken, allowNotFound: true);

    public async Task CreateSubscriptionAsync(string subscriptionPath, JsonObject body, CancellationToken cancellationToken) =>
        _ = await SendAsync(HttpMethod.Put, subscriptionPath, body, "subscription " + subscriptionPath, cancellationToken);

    /// <summary>Sets the named top-level fields (<c>pushConfig</c>, <c>retryPolicy</c>, ...); a field absent from the body is cleared.</summary>
    public async Task PatchSubscriptionAsync(string subscriptionPath, JsonObject subscription, IEnumerable<string> fields, CancellationToken cancellationToken) =>
        _ = await SendAsync(HttpMethod.Patch, subscriptionPath,
            new JsonObject { ["subscription"] = subscription, ["updateMask"] = string.Join(',', fields) }, "subscription " + subscriptionPath, cancellationToken);

    /// <summary>Pulls what is available now (at most <paramref name="max"/>).</summary>
    public async Task<IReadOnlyList<PulledMessage>> PullAsync(string subscriptionPath, int max, CancellationToken cancellationToken)
    {
        var json = await SendAsync(HttpMethod.Post, subscriptionPath + ":pull", new JsonObject { ["maxMessages"] = max, ["returnImmediately"] = true },
            "subscription " + subscriptionPath, cancellationToken);
        var result = new List<PulledMessage>();
        foreach (var node in json?["receivedMessages"] as JsonArray ?? [])
        {
            var message = node?["message"] as JsonObject ?? [];
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in message["attributes"] as JsonObject ?? [])
            {
                attributes[key] = value?.GetValue<string>() ?? string.Empty;
            }

            result.Add(new PulledMessage(node?["ackId"]?.GetValue<string>() ?? string.Empty, message["messageId"]?.GetValue<string>() ?? string.Empty,
                message["data"]?.GetValue<string>() ?? string.Empty, attributes, message["publishTime"]?.GetValue<string>() ?? string.Empty));
        }

        return result;
    }

    public async Task AcknowledgeAsync(string subscriptionPath, IReadOnlyCollection<string> ackIds, CancellationToken cancellationToken)
    {
        if (ackIds.Count > 0)
        {
            _ = await SendAsync(HttpMethod.Post, subscriptionPath + ":acknowledge", new JsonObject { ["ackIds"] = Array(ackIds) },
                "subscription " + subscriptionPath, cancellationToken);
        }
    }

    /// <summary>Makes messages available again at once (ack deadline 0): what a failed replay leaves for the next run.</summary>
    public async Task NackAsync(string subscriptionPath, IReadOnlyCollection<string> ackIds, CancellationToken cancellationToken)
    {
        if (ackIds.Count > 0)
        {
            _ = await SendAsync(HttpMethod.Post, subscriptionPath + ":modifyAckDeadline",
                new JsonObject { ["ackIds"] = Array(ackIds), ["ackDeadlineSeconds"] = 0 }, "subscription " + subscriptionPath, cancellationToken);
        }
    }

    /// <summary>Publishes one message (base64 data and attributes); returns its id.</summary>
    public async Task<string> PublishAsync(string topicPath, string base64Data, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken)
    {
        var attrs = new JsonObject();
        foreach (var (key, value) in attributes)
        {
            attrs[key] = value;
        }

        var json = await SendAsync(HttpMethod.Post, topicPath + ":publish",
            new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["data"] = base64Data, ["attributes"] = attrs }) }, "topic " + topicPath, cancellationToken);
        return json?["messageIds"]?[0]?.GetValue<string>() ?? string.Empty;
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonObject?> SendAsync(HttpMethod method, string path, JsonObject? body, string resource, CancellationToken cancellationToken,
        bool allowNotFound = false, bool allowConflict = false)
    {
        using var request = new HttpRequestMessage(method, new Uri("v1/" + path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        if (_credential is not null)
        {
            var token = await _credential.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if ((allowNotFound && response.StatusCode == HttpStatusCode.NotFound) || (allowConflict && response.StatusCode == HttpStatusCode.Conflict))
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new PubSubException(resource, response.StatusCode, ErrorMessage(text));
        }

        return text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
    }

    private static string ErrorMessage(string text)
    {
        try
        {
            return JsonNode.Parse(text)?["error"]?["message"]?.GetValue<string>() ?? text.Trim();
        }
        catch (JsonException)
        {
            return text.Trim();
        }
    }

    private static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());
}
