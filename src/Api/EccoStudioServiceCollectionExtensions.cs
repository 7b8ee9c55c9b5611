using EccoStudio.Api.Bridge;
using EccoStudio.Api.Configuration;
using EccoStudio.Api.Console;
using EccoStudio.Api.Erasure;
using EccoStudio.Api.Health;
using EccoStudio.Api.Migrations;
using EccoStudio.Api.Ops;
using EccoStudio.Api.Reads;
using EccoStudio.Api.Writes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EccoStudio.Api;

/// <summary>
/// The HTTP surface both hosts share: options bound from configuration (<c>Ecco:Api</c>, <c>Ecco:PubSub</c>) and the
/// request handlers. The host composes it with storage (<c>AddEccoStorage</c>), the write path (<c>AddEccoWritePath</c>)
/// and a Durable Task client (local engine or <c>[DurableClient]</c>).
/// </summary>
public static class EccoStudioServiceCollectionExtensions
{
    public static IServiceCollection AddEccoStudio(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EccoApiOptions>().Bind(configuration.GetSection(EccoApiOptions.SectionName))
            .Validate(o => o.Environments.Count > 0, "Ecco:Api:ServedEnvironments names no valid environment (dev, stg, prod).")
            .Validate(o => o.MaxBodyBytes > 0, "Ecco:Api:MaxBodyBytes must be positive.");
        services.AddOptions<PubSubBridgeOptions>().Bind(configuration.GetSection(PubSubBridgeOptions.SectionName))
            .Validate(o => !o.VerifyToken || !string.IsNullOrWhiteSpace(o.Audience),
                "Ecco:PubSub:Audience is required while Ecco:PubSub:VerifyToken is true.")
            .Validate(o => !o.VerifyToken || !string.IsNullOrWhiteSpace(o.ServiceAccountEmail),
                "Ecco:PubSub:ServiceAccountEmail is required while Ecco:PubSub:VerifyToken is true (else any Google-signed token for the audience passes).")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(GoogleKeySource.Google);
        services.TryAddSingleton<IPushTokenVerifier, GooglePushTokenVerifier>();
        services.TryAddSingleton<IEntityWorkScheduler, DurableWorkScheduler>();
        services.TryAddSingleton<WriteRequestHandler>();
        services.TryAddSingleton<BatchRequestHandler>();
        services.TryAddSingleton<ReadRequestHandler>();
        services.TryAddSingleton<OpsRequestHandler>();
        services.TryAddSingleton<PubSubBridgeHandler>();
        services.TryAddSingleton<HealthHandler>();
        services.TryAddSingleton<ConsoleRequestHandler>();
        services.TryAddSingleton<EraseRequestHandler>();
        services.TryAddSingleton<MigrateRequestHandler>();
        return services;
    }
}
