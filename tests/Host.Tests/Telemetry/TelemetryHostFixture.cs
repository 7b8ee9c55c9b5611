using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Host.Dev;
using EccoStudio.Storage.Store;
using EccoStudio.Testing;
using Google.Cloud.Storage.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace EccoStudio.Host.Tests.Telemetry;

/// <summary>
/// Telemetry tests read process-wide meters and sources: they run alone (no other test class in parallel), so that a
/// metric moves only by what the test itself did.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryGroup
{
    public const string Name = "telemetry";
}

/// <summary>A dev host whose OpenTelemetry pipeline also exports to in-memory lists (spans and metric snapshots).</summary>
public sealed class TelemetryHostFixture : IAsyncLifetime
{
    public const string Venture = """{"schema_version":"1.0.0","lead":"Ann","status":"Idea","milestones":[],"budget":{"plannedUSD":1,"spentUSD":0},"kpis":{"MRR":0,"userCount":0,"churnRate":0}}""";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "ecco-otel-" + Guid.NewGuid().ToString("N")[..8]);

    public List<Activity> Spans { get; } = [];

    public List<MetricSnapshot> Metrics { get; } = [];

    public DevHost Host { get; private set; } = null!;

    /// <summary>Put failures in front of the store (set once the store is first resolved, at start).</summary>
    public StoreFaultProxy Faults { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The configured alert webhook's name; rules name it, the host posts to <see cref="Webhook"/>.</summary>
    public const string WebhookName = "metrics-hook";

    /// <summary>Receives the alerts posted to <see cref="WebhookName"/>.</summary>
    public WebhookReceiver Webhook { get; } = new();

    public async Task InitializeAsync()
    {
        // A named alert webhook on a local receiver (loopback http is allowed for local testing only, docs/security.md).
        var configuration = new Dictionary<string, string?>
        {
            ["Ecco:Alerts:AllowLoopbackHttp"] = "true",
            [$"Ecco:Alerts:Webhooks:{WebhookName}"] = Webhook.Url,
        };
        Host = await DevHost.StartAsync(new DevSettings { Port = 0, GcsPort = 0, DataDirectory = _data, ApiKey = "test-api-key-7f3c" }, configuration, configureServices: services =>
        {
            // Fast store retries so that injected faults resolve quickly (counts do not depend on delays).
            // Six store retries make exhausting them under the 25% injected 429s negligible (0.25^7 per request).
            services.AddSingleton(new ObjectStoreOptions { MaxRetryAttempts = 6, RetryBaseDelay = TimeSpan.FromMilliseconds(2), RetryMaxDelay = TimeSpan.FromMilliseconds(10) });
            services.AddSingleton<IObjectStore>(sp =>
            {
                var (store, faults) = StoreFaultProxy.Wrap(new GcsObjectStore(sp.GetRequiredService<StorageClient>(), sp.GetRequiredService<ObjectStoreOptions>(),
                    sp.GetRequiredService<IStorageOperationCounter>(), sp.GetRequiredService<ILogger<GcsObjectStore>>()));
                Faults = faults;
                return store;
            });
            services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans));
            services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(Metrics));
        });
        Http = new HttpClient { BaseAddress = Host.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Add("x-api-key", "test-api-key-7f3c");
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        await Webhook.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    public async Task<JsonObject> PutAsync(string id, string body = Venture, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"api/dev/ventures/{id}", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await Http.SendAsync(request);
        Assert.Equal(202, (int)response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    public async Task<JsonObject> WaitAsync(JsonObject accepted)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            using var response = await Http.GetAsync(new Uri(accepted["statusQueryGetUri"]!.GetValue<string>()));
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            if (body["runtimeStatus"]?.GetValue<string>() is "Completed" or "Failed" or "Terminated" || DateTime.UtcNow > deadline)
            {
                return body;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Copies of the spans exported so far (the exporter appends from other threads).</summary>
    public List<Activity> SpansSnapshot()
    {
        lock (Spans)
        {
            return [.. Spans];
        }
    }

    /// <summary>Every metric name, tag key and tag value exported (collected now), as text.</summary>
    public List<string> MetricTexts()
    {
        var provider = Host.Services.GetRequiredService<MeterProvider>();
        lock (Metrics)
        {
            Metrics.Clear();
            provider.ForceFlush();
            var texts = new List<string>();
            foreach (var metric in Metrics)
            {
                texts.Add(metric.Name);
                foreach (var point in metric.MetricPoints)
                {
                    foreach (var tag in point.Tags)
                    {
                        texts.Add($"{metric.Name}:{tag.Key}={tag.Value}");
                    }
                }
            }

            return texts;
        }
    }

    /// <summary>Collects the metrics now and returns the sum of a counter (or a histogram's count) over points matching the tags.</summary>
    public double Read(string name, params (string Key, string Value)[] tags) => Read(name, sum: false, tags);

    /// <summary>As <see cref="Read(string, (string, string)[])"/>; for a histogram, <paramref name="sum"/> reads the sum of the recorded values.</summary>
    public double Read(string name, bool sum, params (string Key, string Value)[] tags)
    {
        var provider = Host.Services.GetRequiredService<MeterProvider>();
        lock (Metrics)
        {
            Metrics.Clear();
            provider.ForceFlush();
            double total = 0;
            foreach (var metric in Metrics.Where(m => m.Name == name))
            {
                foreach (var point in metric.MetricPoints)
                {
                    var pointTags = new Dictionary<string, string?>();
                    foreach (var tag in point.Tags)
                    {
                        pointTags[tag.Key] = tag.Value?.ToString();
                    }

                    if (!tags.All(t => pointTags.TryGetValue(t.Key, out var v) && v == t.Value))
                    {
                        continue;
                    }

                    total += metric.MetricType switch
                    {
                        MetricType.LongSum => point.GetSumLong(),
                        MetricType.DoubleSum => point.GetSumDouble(),
                        MetricType.Histogram => sum ? point.GetHistogramSum() : point.GetHistogramCount(),
                        _ => 0,
                    };
                }
            }

            return total;
        }
    }
}
