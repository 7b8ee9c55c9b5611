using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Host.Dev;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Consistency;
using EccoStudio.Testing;
using Google.Cloud.Storage.V1;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Reliability.Tests.Support;

/// <summary>
/// One in-process dev host (free ports, temp data dir, in-memory engine) driven over HTTP, with the storage model,
/// the Durable client and the consistency checker at hand. <see cref="StartAsync"/> with <c>shareGcsOf</c> points a
/// second host at the first one's emulator (two hosts, distinct engines, one bucket).
/// </summary>
public sealed class LocalHost : IAsyncDisposable
{
    private readonly string _data;

    private LocalHost(DevHost host, string data, LogCapture logs)
    {
        Host = host;
        _data = data;
        Logs = logs;
        Http = new HttpClient { BaseAddress = host.BaseUri, Timeout = TimeSpan.FromSeconds(120) };
    }

    public DevHost Host { get; }

    public HttpClient Http { get; }

    public LogCapture Logs { get; }

    public StorageContext Storage => Host.Services.GetRequiredService<StorageContext>();

    public DurableTaskClient Client => Host.Services.GetRequiredService<DurableTaskClient>();

    public string Bucket => Host.Settings.Bucket;

    public static async Task<LocalHost> StartAsync(string? apiKey = null, LocalHost? shareGcsOf = null,
        IEnumerable<KeyValuePair<string, string?>>? configuration = null, Action<IServiceCollection>? configureServices = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "ecco-rel-" + Guid.NewGuid().ToString("N")[..8]);
        var logs = new LogCapture();
        var config = new List<KeyValuePair<string, string?>>(configuration ?? []);
        if (shareGcsOf is not null)
        {
            config.Add(new("Ecco:Storage:EmulatorHost", shareGcsOf.Host.GcsBaseUri.ToString()));
        }

        var host = await DevHost.StartAsync(new DevSettings { Port = 0, GcsPort = 0, DataDirectory = data, ApiKey = apiKey, Environments = ["dev"] }, config,
            services =>
            {
                services.RemoveAll<ILoggerProvider>(); // no console flood from the host under test; everything is captured
                services.AddSingleton<ILoggerProvider>(logs);
                configureServices?.Invoke(services);
            });
        return new LocalHost(host, data, logs);
    }

    public ConsistencyChecker Checker() => new(Storage);

    /// <summary>A storage client on the emulator this host writes to.</summary>
    public StorageClient GcsClient() => Host.Services.GetRequiredService<StorageClient>();

    /// <summary>Every object (all versions) as name#generation, sorted.</summary>
    public async Task<IReadOnlyList<string>> BucketFingerprintAsync()
    {
        var names = new List<string>();
        await foreach (var o in GcsClient().ListObjectsAsync(Bucket, null, new ListObjectsOptions { Versions = true }))
        {
            names.Add($"{o.Name}#{o.Generation}");
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public static StringContent Json(string text, string mediaType = "application/json") =>
        new(text, Encoding.UTF8, new MediaTypeHeaderValue(mediaType));

    public static StringContent Json(JsonNode node, string mediaType = "application/json") => Json(node.ToJsonString(), mediaType);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
