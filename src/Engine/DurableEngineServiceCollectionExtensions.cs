using EccoStudio.Engine.Hosting;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EccoStudio.Engine;

/// <summary>
/// Registers the embedded Durable Task engine: the gRPC sidecar over the configured backend (a hosted service
/// that starts before the worker connects and stops after it), the Durable Task worker with the given
/// orchestrators and activities, and <see cref="DurableTaskClient"/>, all over one loopback gRPC channel.
/// </summary>
public static class DurableEngineServiceCollectionExtensions
{
    /// <summary>Options bound from a configuration section (e.g. <c>configuration.GetSection("DurableEngine")</c>).</summary>
    public static IServiceCollection AddEccoDurableEngine(
        this IServiceCollection services, IConfiguration section, Action<DurableTaskRegistry> registry)
    {
        services.AddOptions<DurableEngineOptions>().Bind(section);
        return services.AddEngineCore(registry);
    }

    /// <summary>Options set in code.</summary>
    public static IServiceCollection AddEccoDurableEngine(
        this IServiceCollection services, Action<DurableEngineOptions> configure, Action<DurableTaskRegistry> registry)
    {
        services.AddOptions<DurableEngineOptions>().Configure(configure);
        return services.AddEngineCore(registry);
    }

    /// <summary>A ready options instance.</summary>
    public static IServiceCollection AddEccoDurableEngine(
        this IServiceCollection services, DurableEngineOptions options, Action<DurableTaskRegistry> registry)
    {
        services.AddSingleton(Options.Create(options));
        return services.AddEngineCore(registry);
    }

    private static IServiceCollection AddEngineCore(this IServiceCollection services, Action<DurableTaskRegistry> registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        services.AddLogging(logging => logging.AddEngineLogFilters());
        services.TryAddSingleton<EngineEndpoint>();
        services.TryAddSingleton<DurableEngineSidecar>();
        services.AddHostedService(sp => sp.GetRequiredService<DurableEngineSidecar>());

        services.AddDurableTaskWorker(builder =>
        {
            builder.AddTasks(registry);
            builder.UseGrpc();
            builder.Services.AddOptions<GrpcDurableTaskWorkerOptions>(builder.Name)
                .Configure<EngineEndpoint>((grpc, endpoint) => grpc.Channel = endpoint.Channel);
            builder.Services.AddOptions<DurableTaskWorkerOptions>(builder.Name)
                .Configure<IOptions<DurableEngineOptions>>((worker, engine) =>
                {
                    worker.Concurrency.MaximumConcurrentOrchestrationWorkItems = engine.Value.MaxConcurrentOrchestrations;
                    worker.Concurrency.MaximumConcurrentActivityWorkItems = engine.Value.MaxConcurrentActivities;
                });
        });

        services.AddDurableTaskClient(builder =>
        {
            builder.UseGrpc();
            builder.Services.AddOptions<GrpcDurableTaskClientOptions>(builder.Name)
                .Configure<EngineEndpoint>((grpc, endpoint) => grpc.Channel = endpoint.Channel);
            builder.RegisterDirectly();
        });

        return services;
    }
}
