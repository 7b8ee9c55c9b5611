using System.Net;
using EccoStudio.Engine.Backends;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EccoStudio.Engine.Hosting;

/// <summary>
/// Hosts the Durable Task gRPC sidecar (<see cref="EngineGrpcServer"/>) on Kestrel (HTTP/2, loopback) in front of
/// the configured orchestration service; every call must carry the process's <see cref="SidecarToken"/>. Lifecycle, relative to the Durable Task worker's hosted service:
/// <list type="number">
/// <item><c>StartingAsync</c> (before any hosted service starts): create the backend, start Kestrel.</item>
/// <item><c>StoppingAsync</c> (before any hosted service stops): stop handing out work, let in-flight work finish.</item>
/// <item><c>StoppedAsync</c> (after the worker has stopped): stop Kestrel, then stop the backend.</item>
/// </list>
/// </summary>
public sealed partial class DurableEngineSidecar(
    IOptions<DurableEngineOptions> options,
    EngineEndpoint endpoint,
    ILoggerFactory loggerFactory) : IHostedLifecycleService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<DurableEngineSidecar>();
    private WebApplication? _app;
    private GatedOrchestrationService? _service;

    /// <summary>The orchestration service behind the sidecar (null before start).</summary>
    public GatedOrchestrationService? Service => _service;

    /// <inheritdoc />
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        _service = await OrchestrationServiceFactory.CreateAsync(settings, loggerFactory, cancellationToken);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggerFactory));
        builder.Logging.AddEngineLogFilters();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, endpoint.Port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddRouting();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(_service);
        builder.Services.AddSingleton<EngineGrpcServer>();

        _app = builder.Build();
        _app.Use((context, next) =>
        {
            if (endpoint.Token.Matches(context.Request))
            {
                return next(context);
            }

            // gRPC clients read HTTP 401 as StatusCode.Unauthenticated; nothing about the engine is revealed.
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        });
        _app.UseRouting();
        _app.MapGrpcService<EngineGrpcServer>();

        // Create the server now so it subscribes to the web host's lifetime events before they fire.
        _ = _app.Services.GetRequiredService<EngineGrpcServer>();
        await _app.StartAsync(cancellationToken);
        LogStarted(_logger, settings.Backend, settings.TaskHubName, settings.WorkerId, endpoint.Address);
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (_service is null)
        {
            return;
        }

        var left = await _service.DrainAsync(options.Value.ShutdownDrainTimeout, cancellationToken);
        if (left > 0)
        {
            LogDrainIncomplete(_logger, left, options.Value.ShutdownDrainTimeout);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        await ShutdownAsync(cancellationToken);
    }

    private async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        var web = Interlocked.Exchange(ref _app, null);
        if (web is not null)
        {
            try
            {
                await web.StopAsync(cancellationToken);
            }
            finally
            {
                await web.DisposeAsync();
            }
        }

        var backend = Interlocked.Exchange(ref _service, null);
        if (backend is not null)
        {
            try
            {
                // The sidecar also stops the backend when its host stops, but it does so in the background and
                // only after in-flight work items finish; stop it here so no poller outlives the engine.
                await backend.StopAsync(isForced: true).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                if (backend.StopError is not null)
                {
                    LogBackendStopFailed(_logger, backend.StopError);
                }
            }
            catch (Exception ex)
            {
                LogBackendStopFailed(_logger, ex);
            }
            finally
            {
                (backend.Inner as IDisposable)?.Dispose();
                backend.Dispose();
            }
        }

        LogStopped(_logger);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await ShutdownAsync(CancellationToken.None);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Durable engine sidecar started: backend {Backend}, task hub {TaskHub}, worker {WorkerId}, at {Address}")]
    private static partial void LogStarted(ILogger logger, EngineBackend backend, string taskHub, string workerId, Uri address);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Durable engine shutdown: {Count} work items still in flight after {Timeout}; they will be redelivered")]
    private static partial void LogDrainIncomplete(ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Durable engine backend did not stop cleanly")]
    private static partial void LogBackendStopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Durable engine sidecar stopped")]
    private static partial void LogStopped(ILogger logger);
}
