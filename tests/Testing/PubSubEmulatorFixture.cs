using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace EccoStudio.Testing;

/// <summary>
/// The REAL Pub/Sub emulator (<c>gcloud beta emulators pubsub start</c>, preinstalled; Java) on a free port, with a
/// throw-away gcloud config and data dir, plus small REST helpers. Use it as an xunit collection fixture so a suite
/// starts it once: <c>[CollectionDefinition(PubSubEmulatorFixture.CollectionName)] class X : ICollectionFixture&lt;PubSubEmulatorFixture&gt;;</c>
/// in the test assembly. Disposing kills the whole process tree (gcloud's Python wrapper and its java child).
/// </summary>
public sealed class PubSubEmulatorFixture : IAsyncLifetime
{
    /// <summary>The collection name suites use for it.</summary>
    public const string CollectionName = "PubSub emulator";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly StringBuilder _output = new();
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "pubsub-emu-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _process;

    /// <summary>host:port, the value of <c>PUBSUB_EMULATOR_HOST</c>.</summary>
    public string Host { get; private set; } = "";

    /// <summary>The project every helper uses.</summary>
    public string ProjectId { get; } = "ecco-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A client whose base address is the emulator (<c>http://host:port/</c>).</summary>
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A name unique to this run (Pub/Sub ids need 3+ characters, start with a letter).</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];

    /// <summary><c>projects/P/topics/T</c></summary>
    public string TopicPath(string topicId) => $"projects/{ProjectId}/topics/{topicId}";

    /// <summary><c>projects/P/subscriptions/S</c></summary>
    public string SubscriptionPath(string subscriptionId) => $"projects/{ProjectId}/subscriptions/{subscriptionId}";

    public async Task InitializeAsync()
    {
        var port = FreePorts.Next();
        Host = $"127.0.0.1:{port}";
        Http.BaseAddress = new Uri($"http://{Host}/");
        var config = Directory.CreateDirectory(Path.Combine(_workDir, "config")).FullName;
        var data = Directory.CreateDirectory(Path.Combine(_workDir, "data")).FullName;

        var start = new ProcessStartInfo("gcloud")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "beta", "emulators", "pubsub", "start", $"--host-port={Host}", $"--project={ProjectId}",
                     $"--data-dir={data}", "--quiet",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["CLOUDSDK_CONFIG"] = config;
        start.Environment["CLOUDSDK_CORE_DISABLE_PROMPTS"] = "1";
        _process = Process.Start(start) ?? throw new InvalidOperationException("gcloud did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"The Pub/Sub emulator exited with {_process.ExitCode} before answering:\n{Output()}");
            }

            try
            {
                using var probe = await Http.GetAsync(new Uri($"v1/projects/{ProjectId}/topics", UriKind.Relative));
                if (probe.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The Pub/Sub emulator did not answer within {StartTimeout}:\n{Output()}");
    }

    public Task DisposeAsync()
    {
        Http.Dispose();
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // already gone
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException)
        {
            // the JVM may still hold a file for a moment; temp space is cleaned elsewhere
        }

        return Task.CompletedTask;
    }

    /// <summary>Creates a topic; returns its path.</summary>
    public async Task<string> CreateTopicAsync(string topicId)
    {
        using var response = await Http.PutAsync(Relative($"v1/{TopicPath(topicId)}"), JsonBody(new JsonObject()));
        await EnsureSuccessAsync(response, $"create topic {topicId}");
        return TopicPath(topicId);
    }

    /// <summary>Creates a pull subscription on a topic; returns its path.</summary>
    public Task<string> CreatePullSubscriptionAsync(string subscriptionId, string topicId, int ackDeadlineSeconds = 10) =>
        CreateSubscriptionAsync(subscriptionId, new JsonObject
        {
            ["topic"] = TopicPath(topicId),
            ["ackDeadlineSeconds"] = ackDeadlineSeconds,
        });

    /// <summary>Creates a push subscription that POSTs to <paramref name="endpoint"/>; returns its path.</summary>
    public Task<string> CreatePushSubscriptionAsync(string subscriptionId, string topicId, Uri endpoint) =>
        CreateSubscriptionAsync(subscriptionId, new JsonObject
        {
            ["topic"] = TopicPath(topicId),
            ["pushConfig"] = new JsonObject { ["pushEndpoint"] = endpoint.ToString() },
        });

    /// <summary>Publishes messages; returns their message ids.</summary>
    public async Task<IReadOnlyList<string>> PublishAsync(string topicId, params PubSubOutgoingMessage[] messages)
    {
        var array = new JsonArray();
        foreach (var message in messages)
        {
            var attributes = new JsonObject();
            foreach (var (key, value) in message.Attributes ?? new Dictionary<string, string>())
            {
                attributes[key] = value;
            }

            array.Add(new JsonObject { ["data"] = Convert.ToBase64String(message.Data), ["attributes"] = attributes });
        }

        using var response = await Http.PostAsync(Relative($"v1/{TopicPath(topicId)}:publish"),
            JsonBody(new JsonObject { ["messages"] = array }));
        await EnsureSuccessAsync(response, $"publish to {topicId}");
        var json = await response.Content.ReadFromJsonAsync<JsonObject>();
        return json?["messageIds"]?.AsArray().Select(id => id!.GetValue<string>()).ToList() ?? [];
    }

    /// <summary>Pulls what is available now (returnImmediately) and acknowledges it when <paramref name="ack"/>.</summary>
    public async Task<IReadOnlyList<PubSubReceivedMessage>> PullAsync(string subscriptionId, int maxMessages = 100,
        bool ack = true)
    {
        using var response = await Http.PostAsync(Relative($"v1/{SubscriptionPath(subscriptionId)}:pull"),
            JsonBody(new JsonObject { ["maxMessages"] = maxMessages, ["returnImmediately"] = true }));
        await EnsureSuccessAsync(response, $"pull {subscriptionId}");
        var json = await response.Content.ReadFromJsonAsync<JsonObject>();
        var received = new List<PubSubReceivedMessage>();
        foreach (var node in json?["receivedMessages"]?.AsArray() ?? [])
        {
            var message = node!["message"]!;
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in message["attributes"]?.AsObject() ?? [])
            {
                attributes[key] = value!.GetValue<string>();
            }

            var data = message["data"]?.GetValue<string>();
            received.Add(new PubSubReceivedMessage(
                node["ackId"]!.GetValue<string>(),
                message["messageId"]?.GetValue<string>() ?? "",
                string.IsNullOrEmpty(data) ? [] : Convert.FromBase64String(data),
                attributes,
                message["publishTime"]?.GetValue<string>() ?? ""));
        }

        if (ack && received.Count > 0)
        {
            var ackIds = new JsonArray(received.Select(m => (JsonNode?)m.AckId).ToArray());
            using var acked = await Http.PostAsync(Relative($"v1/{SubscriptionPath(subscriptionId)}:acknowledge"),
                JsonBody(new JsonObject { ["ackIds"] = ackIds }));
            await EnsureSuccessAsync(acked, $"acknowledge on {subscriptionId}");
        }

        return received;
    }

    /// <summary>Pulls (and acks) until at least <paramref name="count"/> messages arrived or the timeout passed.</summary>
    public async Task<IReadOnlyList<PubSubReceivedMessage>> PullAtLeastAsync(string subscriptionId, int count,
        TimeSpan timeout)
    {
        var all = new List<PubSubReceivedMessage>();
        var deadline = DateTime.UtcNow + timeout;
        while (all.Count < count && DateTime.UtcNow < deadline)
        {
            var batch = await PullAsync(subscriptionId);
            all.AddRange(batch);
            if (batch.Count == 0)
            {
                await Task.Delay(100);
            }
        }

        return all;
    }

    private async Task<string> CreateSubscriptionAsync(string subscriptionId, JsonObject body)
    {
        using var response = await Http.PutAsync(Relative($"v1/{SubscriptionPath(subscriptionId)}"), JsonBody(body));
        await EnsureSuccessAsync(response, $"create subscription {subscriptionId}");
        return SubscriptionPath(subscriptionId);
    }

    private static Uri Relative(string path) => new(path, UriKind.Relative);

    private static StringContent JsonBody(JsonNode body) =>
        new(body.ToJsonString(JsonSerializerOptions.Web), Encoding.UTF8, "application/json");

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync();
            throw new HttpRequestException($"Pub/Sub emulator: {what} failed with {(int)response.StatusCode}: {text}",
                null, response.StatusCode);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length > 64_000)
            {
                _output.Remove(0, 32_000);
            }

            _output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }
}
