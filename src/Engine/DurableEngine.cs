using EccoStudio.Engine.Backends;
using EccoStudio.Engine.Hosting;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Engine;

/// <summary>
/// The engine without a host of your own (tests, benchmarks, small programs):
/// <c>await using var engine = await DurableEngine.StartAsync(options, registry =&gt; ...);</c> then use
/// <see cref="Client"/>. Disposing stops it gracefully (drain, worker, sidecar, backend).
/// </summary>
public sealed class DurableEngine : IAsyncDisposable
{
    private readonly IHost _host;

    private DurableEngine(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<DurableTaskClient>();
        Endpoint = host.Services.GetRequiredService<EngineEndpoint>();
    }

    /// <summary>The client for starting, querying and managing instances.</summary>
    public DurableTaskClient Client { get; }

    /// <summary>The sidecar's address.</summary>
    public EngineEndpoint Endpoint { get; }

    /// <summary>The engine's service provider (services registered through <c>configureServices</c> live here).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>The backend behind the sidecar (for diagnostics: in-flight count).</summary>
    public GatedOrchestrationService? Backend => _host.Services.GetRequiredService<DurableEngineSidecar>().Service;

    /// <summary>Starts the sidecar, the worker and the client.</summary>
    /// <param name="options">Engine settings.</param>
    /// <param name="registry">Orchestrators and activities.</param>
    /// <param name="configureServices">Services the orchestrators and activities depend on.</param>
    /// <param name="loggerFactory">Where logs go; none when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<DurableEngine> StartAsync(
        DurableEngineOptions options,
        Action<DurableTaskRegistry> registry,
        Action<IServiceCollection>? configureServices = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownDrainTimeout + TimeSpan.FromSeconds(30));
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        configureServices?.Invoke(builder.Services);
        builder.Services.AddEccoDurableEngine(options, registry);

        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new DurableEngine(host);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
        }
        finally
        {
            if (_host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                _host.Dispose();
            }
        }
    }
}
