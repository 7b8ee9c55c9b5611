using System.Net;
using System.Text.Json.Nodes;
using EccoStudio.Api;
using EccoStudio.Api.Configuration;
using EccoStudio.Api.Endpoints;
using EccoStudio.Engine;
using EccoStudio.Engine.Azurite;
using EccoStudio.GcsEmulator;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Provisioning.PubSub;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using EccoStudio.Telemetry;
using Google;
using Google.Cloud.Storage.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using GcsBucket = Google.Apis.Storage.v1.Data.Bucket;
using GcsNotification = Google.Apis.Storage.v1.Data.Notification;

namespace EccoStudio.Host.Dev;

/// <summary>
/// The local stack in one process: the GCS emulator (bucket with versioning), the Durable Task engine (in-memory or
/// Azurite), the HTTP surface on Kestrel, schemas published, and optionally GCS notifications → Pub/Sub emulator
/// topic → push subscription → the bridge. Tests start it in-process; <c>dev</c> runs it until Ctrl+C.
/// </summary>
public sealed partial class DevHost : IAsyncDisposable
{
    private readonly GcsEmulatorServer? _gcs;
    private readonly AzuriteProcess? _azurite;
    private readonly WebApplication _app;

    private DevHost(GcsEmulatorServer? gcs, Uri gcsBaseUri, AzuriteProcess? azurite, WebApplication app, Uri baseUri, DevSettings settings, bool verifyToken)
    {
        _gcs = gcs;
        GcsBaseUri = gcsBaseUri;
        _azurite = azurite;
        _app = app;
        BaseUri = baseUri;
        Settings = settings;
        VerifyToken = verifyToken;
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseUri { get; }

    /// <summary>The GCS emulator in use: the embedded one, or the one <c>--gcs-emulator</c> named.</summary>
    public Uri GcsBaseUri { get; }

    /// <summary>The embedded emulator (its faults and store); absent when dev uses another process's emulator.</summary>
    public GcsEmulatorServer Gcs => _gcs ?? throw new InvalidOperationException($"This dev host uses the GCS emulator at {GcsBaseUri}, not an embedded one.");

    /// <summary>The startup recovery sweep (in-memory engine, <see cref="DevSettings.Recovery"/>), or null.</summary>
    public Task<IReadOnlyList<RecoveryResult>>? Recovery { get; private set; }

    /// <summary>The Azurite this host started (<c>--durable azurite</c>), if any.</summary>
    public AzuriteProcess? Azurite => _azurite;

    public DevSettings Settings { get; }

    public bool VerifyToken { get; }

    /// <summary>An API key is in force (from the flag, the environment or a key file).</summary>
    public bool ApiKeyRequired => !string.IsNullOrEmpty(Services.GetRequiredService<IOptions<EccoApiOptions>>().Value.ApiKey);

    public IServiceProvider Services => _app.Services;

    public Uri BridgeUri => new(BaseUri, "api/pubsub/gcs-events");

    /// <summary>Prometheus scrape endpoint (OpenTelemetry metrics, text format).</summary>
    public const string MetricsPath = "/metrics";

    public Uri MetricsUri => new(BaseUri, MetricsPath.TrimStart('/'));

    /// <summary>The ops console (embedded page; instances, entities, health, live charts).</summary>
    public Uri ConsoleUri => new(BaseUri, "ops/");

    /// <param name="settings">What to run.</param>
    /// <param name="configuration">Extra configuration (wins over the defaults dev derives from <paramref name="settings"/>).</param>
    /// <param name="configureServices">Extra services (tests: a key source for the OIDC verifier).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<DevHost> StartAsync(DevSettings settings, IEnumerable<KeyValuePair<string, string?>>? configuration = null,
        Action<IServiceCollection>? configureServices = null, CancellationToken cancellationToken = default)
    {
        var data = Path.GetFullPath(settings.DataDirectory);
        Directory.CreateDirectory(data);
        await using var started = new StartedParts();
        started.Azurite = settings.StartAzurite
            ? await AzuriteProcess.StartAsync(Path.Combine(data, "azurite"), cancellationToken: cancellationToken)
            : null;
        started.Gcs = settings.GcsEmulator is null
            ? await GcsEmulatorServer.StartAsync(new GcsEmulatorOptions
            {
                Host = settings.Address,
                Port = settings.GcsPort,
                DataDirectory = Path.Combine(data, "gcs"),
                PubSubEmulatorHost = settings.PubSubEmulator ?? "none",
                ProjectId = settings.PubSubProject,
            }, cancellationToken)
            : null;
        var gcsBaseUri = started.Gcs?.BaseUri ?? settings.GcsEmulator!;
        var app = Build(settings, gcsBaseUri, started.Azurite?.ConnectionString ?? settings.AzuriteConnection, configuration, configureServices);
        try
        {
            await EnsureBucketAsync(app.Services.GetRequiredService<StorageClient>(), settings, cancellationToken);
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var baseUri = new Uri(address.EndsWith('/') ? address : address + "/");
            var api = app.Services.GetRequiredService<IOptions<EccoApiOptions>>().Value;
            var publisher = new SchemaPublisher(app.Services.GetRequiredService<IObjectStore>(), app.Services.GetRequiredService<Storage.Layout.ObjectPaths>());
            var folder = app.Services.GetRequiredService<IOptions<EccoStorageOptions>>().Value.ResolveSchemasFolder();
            foreach (var env in api.Environments)
            {
                await publisher.PublishAsync(env, folder, cancellationToken);
            }

            var verify = app.Services.GetRequiredService<IOptions<PubSubBridgeOptions>>().Value.VerifyToken;
            if (!verify)
            {
                LogVerificationOff(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<DevHost>());
            }

            var host = new DevHost(started.Gcs, gcsBaseUri, started.Azurite, app, baseUri, settings, verify);
            if (settings.PubSubEmulator is { } pubsub && settings.WirePubSub)
            {
                await host.WirePubSubAsync(pubsub, cancellationToken);
            }

            if (settings.Recovery && !settings.Durable)
            {
                var recovery = ActivatorUtilities.CreateInstance<StartupRecovery>(app.Services);
                var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                host.Recovery = Task.Run(() => recovery.RunAsync(api.Environments, stopping), stopping);
            }

            started.Release();
            return host;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>What <see cref="StartAsync"/> started before the host exists: stopped again if the start fails.</summary>
    private sealed class StartedParts : IAsyncDisposable
    {
        public AzuriteProcess? Azurite { get; set; }

        public GcsEmulatorServer? Gcs { get; set; }

        public void Release() => (Azurite, Gcs) = (null, null);

        public async ValueTask DisposeAsync()
        {
            if (Gcs is not null)
            {
                await Gcs.DisposeAsync();
            }

            if (Azurite is not null)
            {
                await Azurite.DisposeAsync();
            }
        }
    }

    private static WebApplication Build(DevSettings settings, Uri gcsBaseUri, string? azuriteConnection, IEnumerable<KeyValuePair<string, string?>>? configuration,
        Action<IServiceCollection>? configureServices)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(DevHost).Assembly.GetName().Name });
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        // What the environment (Ecco__Api__ApiKey, Ecco__PubSub__VerifyToken, …) or the caller's configuration says is
        // kept; the command line's flags win over both; dev's own defaults fill only what nobody set.
        var apiKey = DevSecrets.ApiKey(settings, builder.Configuration);
        var verify = builder.Configuration[$"{PubSubBridgeOptions.SectionName}:VerifyToken"] ?? "false";
        var bridgeSecret = builder.Configuration[$"{PubSubBridgeOptions.SectionName}:BridgeSecret"]
            ?? (apiKey is not null ? DevSecrets.NewBridgeSecret() : null);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ecco:Storage:Bucket"] = settings.Bucket,
            ["Ecco:Storage:EmulatorHost"] = gcsBaseUri.ToString(),
            ["Ecco:Storage:ProjectId"] = settings.PubSubProject,
            ["Ecco:Api:ServedEnvironments"] = string.Join(',', settings.Environments),
            ["Ecco:Api:ApiKey"] = apiKey,
            // The Pub/Sub emulator sends no OIDC token: locally verification is off unless configured on (logged loudly).
            ["Ecco:PubSub:VerifyToken"] = verify,
            ["Ecco:PubSub:BridgeSecret"] = bridgeSecret,
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.DurableTask"] = "Warning",
            ["Logging:LogLevel:DurableTask"] = "Warning",
            ["Logging:LogLevel:Grpc"] = "Warning",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        });
        if (configuration is not null)
        {
            // The caller's explicit configuration (tests) still wins over dev's derived values, except the flags.
            builder.Configuration.AddInMemoryCollection(configuration.Where(c => c.Key is not ("Ecco:Api:ApiKey" or "Ecco:PubSub:BridgeSecret")
                || settings.ApiKey is null));
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Parse(settings.Address), settings.Port);
        });

        var writePath = WritePathOptions.From(builder.Configuration);
        builder.Services.AddEccoStorage(builder.Configuration);
        builder.Services.AddEccoTelemetry(builder.Configuration, otel => otel.WithMetrics(m => m.AddPrometheusExporter()));
        builder.Services.AddEccoWritePath(writePath);
        builder.Services.AddEccoStudio(builder.Configuration);
        builder.Services.AddEccoDurableEngine(options =>
        {
            // Tuning (visibility timeouts, concurrency, task hub, worker id) from configuration, e.g. DurableEngine__*;
            // the command line's backend choice wins.
            builder.Configuration.GetSection(DurableEngineOptions.SectionName).Bind(options);
            if (azuriteConnection is not null)
            {
                options.Backend = EngineBackend.AzureStorage;
                options.ConnectionString = azuriteConnection;
            }

            if (settings.WorkerId is { } workerId)
            {
                options.WorkerId = workerId;
            }
        }, registry => WritePathTasks.Register(registry, writePath, WritePathTasks.DecorateFromServices));
        // The management API answers for the engine's task hub only.
        builder.Services.AddOptions<EccoApiOptions>().PostConfigure<IOptions<DurableEngineOptions>>((api, engine) => api.TaskHub = engine.Value.TaskHubName);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseEccoStudio();
        app.MapEccoStudio();
        app.MapEccoConsole();
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    private static async Task EnsureBucketAsync(StorageClient client, DevSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateBucketAsync(settings.PubSubProject,
                new GcsBucket { Name = settings.Bucket, Versioning = new GcsBucket.VersioningData { Enabled = true } }, cancellationToken: cancellationToken);
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.Conflict)
        {
            var bucket = await client.GetBucketAsync(settings.Bucket, cancellationToken: cancellationToken);
            if (bucket.Versioning?.Enabled != true)
            {
                bucket.Versioning = new GcsBucket.VersioningData { Enabled = true };
                await client.UpdateBucketAsync(bucket, cancellationToken: cancellationToken);
            }
        }
    }

    private async Task WirePubSubAsync(string pubsubHost, CancellationToken cancellationToken)
    {
        using var pubsub = PubSubRestClient.ForEmulator(pubsubHost);
        var topicPath = $"projects/{Settings.PubSubProject}/topics/{Settings.PubSubTopic}";
        var subscriptionPath = $"projects/{Settings.PubSubProject}/subscriptions/{Settings.PubSubSubscription}";
        await pubsub.CreateTopicAsync(topicPath, cancellationToken);
        // With a key and no token verification the bridge needs the bridge secret; a push subscription can carry it
        // only in its endpoint URL (the emulator sends no headers of ours).
        var secret = ApiKeyRequired ? Services.GetRequiredService<IOptions<PubSubBridgeOptions>>().Value.BridgeSecret : null;
        var endpoint = secret is null || VerifyToken ? BridgeUri : new Uri(BridgeUri + "?secret=" + Uri.EscapeDataString(secret));
        var pushConfig = new JsonObject { ["pushEndpoint"] = endpoint.ToString() };
        if (await pubsub.GetSubscriptionAsync(subscriptionPath, cancellationToken) is null)
        {
            await pubsub.CreateSubscriptionAsync(subscriptionPath, new JsonObject { ["topic"] = topicPath, ["pushConfig"] = pushConfig, ["ackDeadlineSeconds"] = 30 },
                cancellationToken);
        }
        else
        {
            await pubsub.PatchSubscriptionAsync(subscriptionPath, new JsonObject { ["pushConfig"] = pushConfig }, ["pushConfig"], cancellationToken);
        }

        var storage = Services.GetRequiredService<StorageClient>();
        var topic = "//pubsub.googleapis.com/" + topicPath;
        var existing = await storage.ListNotificationsAsync(Settings.Bucket, cancellationToken: cancellationToken);
        if (!existing.Any(n => n.Topic == topic || n.Topic == topicPath))
        {
            await storage.CreateNotificationAsync(Settings.Bucket, new GcsNotification
            {
                Topic = topic,
                PayloadFormat = "JSON_API_V1",
                EventTypes = ["OBJECT_FINALIZE"],
                ObjectNamePrefix = "env/",
            }, cancellationToken: cancellationToken);
        }
    }

    /// <summary>Every URL a user needs, one per line.</summary>
    public void PrintBanner(TextWriter output)
    {
        var root = BaseUri.ToString().TrimEnd('/');
        var env = Settings.Environments[0];
        output.WriteLine("EccoStudio dev host is running.");
        output.WriteLine($"  API             {root}/api/{{env}}/{{entity}}/{{id}}   e.g. {root}/api/{env}/ventures/V001");
        output.WriteLine($"  Listing/index   {root}/api/{env}/ventures   {root}/api/{env}/ventures?index=by-status&key=Pilot");
        output.WriteLine($"  Health          {root}/api/health");
        output.WriteLine($"  Ops (instances) {root}/runtime/webhooks/durabletask/instances");
        output.WriteLine($"  Ops console     {ConsoleUri}");
        output.WriteLine($"  Metrics         {MetricsUri}  (Prometheus; OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set)");
        output.WriteLine($"  Pub/Sub bridge  {BridgeUri}{(Settings.PubSubEmulator is { } p ? $"  (push subscription {Settings.PubSubSubscription} on {p})" : "")}");
        output.WriteLine($"  GCS emulator    {GcsBaseUri}  bucket {Settings.Bucket}  (export STORAGE_EMULATOR_HOST={GcsBaseUri.Host}:{GcsBaseUri.Port}){(_gcs is null ? "  (shared, not embedded)" : "")}");
        output.WriteLine($"  Data            {Path.GetFullPath(Settings.DataDirectory)}");
        var engine = Services.GetRequiredService<IOptions<DurableEngineOptions>>().Value;
        output.WriteLine(Settings.Durable
            ? $"  Engine          Azure Storage on {(_azurite is null ? "the given Azurite" : $"Azurite started by dev (data under {_azurite.Location})")}, task hub {engine.TaskHubName}, worker {engine.WorkerId}"
            : "  Engine          in-memory: orchestrations are lost on exit (--durable azurite keeps them)");
        if (!Settings.Durable)
        {
            output.WriteLine(Recovery is null
                ? "  Recovery        off (--no-recovery): writes cut off by the last exit stay half-applied until verify --repair"
                : "  Recovery        startup sweep running: completes writes whose history landed before the last exit (logged when done).");
            output.WriteLine("                  A write accepted (202) whose history object had not landed when the process died is lost.");
        }
        if (_azurite is not null)
        {
            // Azurite's development account key is public; printing the string lets more workers join this task hub.
            output.WriteLine($"  Azurite connection  {_azurite.ConnectionString}");
        }
        output.WriteLine($"  Environments    {string.Join(", ", Settings.Environments)} (schemas published)");
        output.WriteLine($"  API key         {(ApiKeyRequired ? "required (x-api-key header)" : "none")}");
        if (!VerifyToken)
        {
            output.WriteLine("  WARNING: Pub/Sub push token verification is OFF (local configuration). Anyone who can reach the bridge can trigger reconciles.");
        }

        output.WriteLine("Press Ctrl+C to stop.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "!!! Pub/Sub push token verification is OFF (Ecco:PubSub:VerifyToken=false). Any caller that reaches /api/pubsub/gcs-events can trigger reconciles. Never run like this outside a local machine. !!!")]
    private static partial void LogVerificationOff(ILogger logger);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
            if (_gcs is not null)
            {
                await _gcs.DisposeAsync();
            }

            if (_azurite is not null)
            {
                await _azurite.DisposeAsync();
            }
        }
    }
}
