using EccoStudio.Activities.Alerts;
using EccoStudio.Activities.Rules;
using EccoStudio.Storage.Composition;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EccoStudio.Orchestrations.Composition;

/// <summary>
/// Composition of the write path for both hosts (the local engine and the Functions app): its options, the rule cache,
/// the webhook HttpClient, and every orchestrator and activity class (so the Functions wrappers can resolve them by
/// type). Storage comes from <c>AddEccoStorage</c> (src/Storage/Composition), which the host calls as well.
/// Register the tasks with the engine through <see cref="WritePathTasks.Register"/> with the same options instance.
/// </summary>
public static class WritePathServiceCollectionExtensions
{
    public static IServiceCollection AddEccoWritePath(this IServiceCollection services, Action<WritePathOptions>? configure = null)
    {
        var options = new WritePathOptions();
        configure?.Invoke(options);
        return services.AddEccoWritePath(options);
    }

    public static IServiceCollection AddEccoWritePath(this IServiceCollection services, WritePathOptions options)
    {
        services.TryAddSingleton(options);
        services.TryAddSingleton(sp => sp.GetRequiredService<WritePathOptions>().Alerts);
        services.TryAddSingleton(sp => new RuleSetCache(sp.GetRequiredService<WritePathOptions>().RulesCacheTtl, TimeProvider.System));
        // Webhook POSTs only through the guarded handler over the configured destinations (the storage model's
        // catalog); no request logging (the URL is a credential).
        services.AddHttpClient(AlertDeliveryOptions.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookHttpHandler.Create(sp.GetRequiredService<StorageContext>().Webhooks, sp.GetRequiredService<AlertDeliveryOptions>()))
            .RemoveAllLoggers();

        foreach (var type in WritePathTasks.ActivityTypes.Concat(WritePathTasks.OrchestratorTypes))
        {
            services.TryAddTransient(type);
        }

        return services;
    }
}
