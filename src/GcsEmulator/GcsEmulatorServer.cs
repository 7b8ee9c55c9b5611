using System.Net;
using EccoStudio.GcsEmulator.Api;
using EccoStudio.GcsEmulator.Faults;
using EccoStudio.GcsEmulator.Hosting;
using EccoStudio.GcsEmulator.Notifications;
using EccoStudio.GcsEmulator.Store;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EccoStudio.GcsEmulator;

/// <summary>The GCS JSON API v1 emulator on Kestrel: start it, use <see cref="BaseUri"/>, dispose it.</summary>
public sealed class GcsEmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GcsStore _store;
    private readonly EventDispatcher _events;

    private GcsEmulatorServer(WebApplication app, GcsStore store, EventDispatcher events, FaultInjector faults, PubSubNotificationPublisher? publisher, Uri baseUri)
    {
        _app = app;
        _store = store;
        _events = events;
        Faults = faults;
        Publisher = publisher;
        BaseUri = baseUri;
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseUri { get; }

    /// <summary>127.0.0.1:PORT (the value for STORAGE_EMULATOR_HOST).</summary>
    public string HostAndPort => $"{BaseUri.Host}:{BaseUri.Port}";

    public FaultInjector Faults { get; }

    public PubSubNotificationPublisher? Publisher { get; }

    /// <summary>The store behind the HTTP API (tests and embedding hosts).</summary>
    public GcsStore Store => _store;

    public static async Task<GcsEmulatorServer> StartAsync(GcsEmulatorOptions options, CancellationToken cancellationToken = default)
    {
        var faults = new FaultInjector(options.Faults);
        // Opened before the host: a data directory in use fails the start before anything else is built.
        IStorePersistence persistence = options.DataDirectory is null ? new MemoryPersistence() : new DiskPersistence(options.DataDirectory);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A failed start is reported by the caller (the program prints one line).
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            k.AddServerHeader = false;
            if (string.Equals(options.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                k.ListenLocalhost(options.Port);
            }
            else
            {
                k.Listen(IPAddress.Parse(options.Host), options.Port);
            }
        });
        builder.Services.AddRouting();
        var app = builder.Build();
        var loggerFactory = app.Services.GetRequiredService<ILoggerFactory>();

        var pubSubHost = options.PubSubEmulatorHost ?? Environment.GetEnvironmentVariable("PUBSUB_EMULATOR_HOST");
        var publisher = string.IsNullOrWhiteSpace(pubSubHost) || string.Equals(pubSubHost, "none", StringComparison.OrdinalIgnoreCase)
            ? null
            : new PubSubNotificationPublisher(pubSubHost);
        var sinks = new List<IObjectEventSink>();
        if (publisher is not null)
        {
            sinks.Add(publisher);
        }

        if (options.EventSink is not null)
        {
            sinks.Add(options.EventSink);
        }

        Uri? baseUri = null;
        var events = new EventDispatcher(sinks, () => baseUri!.ToString(), loggerFactory.CreateLogger<EventDispatcher>());
        var store = new GcsStore(persistence, faults.Gate, events);
        var sessions = new UploadSessions();
        var api = new GcsApi(store, sessions, loggerFactory.CreateLogger<GcsApi>()) { DefaultProject = options.ProjectId };

        if (!options.AllowRemoteHosts)
        {
            app.Use((HttpContext context, RequestDelegate next) =>
            {
                if (LocalRequestGuard.Check(context.Request) is not { } refused)
                {
                    return next(context);
                }

                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync(
                    $$$"""{"error":{"code":403,"message":"{{{refused}}}","errors":[{"reason":"forbidden","message":"{{{refused}}}"}]}}""");
            });
        }

        app.UseRouting();
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            if (context.Request.Path.StartsWithSegments("/_emulator", StringComparison.Ordinal))
            {
                await next(context);
                return;
            }

            if (await faults.TryInjectAsync(context))
            {
                return;
            }

            await api.HandleAsync(context);
        });
        faults.MapAdminEndpoints(app);
        app.MapPost("/_emulator/reset", () =>
        {
            store.Reset();
            sessions.Clear();
            return Results.NoContent();
        });

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            await events.DisposeAsync();
            store.Dispose();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var host = options.Host is "0.0.0.0" or "::" or "[::]" ? "127.0.0.1" : options.Host;
        baseUri = new Uri($"http://{host}:{port}/");
        return new GcsEmulatorServer(app, store, events, faults, publisher, baseUri);
    }

    /// <summary>Completes when the host is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _events.DisposeAsync();
        if (Publisher is not null)
        {
            await Publisher.DisposeAsync();
        }

        _store.Dispose();
    }
}
