using EccoStudio.Activities;
using EccoStudio.Activities.Alerts;
using EccoStudio.Activities.Rules;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Rules;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using Google.Cloud.Storage.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EccoStudio.Orchestrations.Composition;

/// <summary>
/// Composition of the write path for both hosts (the local engine and the Functions app): storage services
/// (<see cref="StorageClient"/>, <see cref="IObjectStore"/>, layout, schemas, index definitions,
/// <see cref="StorageContext"/>), the webhook HttpClient, options, and every orchestrator and activity class (so the
/// Functions wrappers can resolve them by type). Register the tasks with the engine through <see cref="WritePathTasks.Register"/> with the same options instance.
/// Services already registered (e.g. a <see cref="StorageClient"/> for an emulator) are kept.
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
        services.TryAddSingleton<IStorageOperationCounter, StorageOperationCounter>();
        services.TryAddSingleton(sp => sp.GetRequiredService<WritePathOptions>().EmulatorEndpoint is { } endpoint
            ? StorageClientFactory.CreateForEmulator(endpoint)
            : StorageClientFactory.CreateDefault());
        services.TryAddSingleton<IObjectStore>(sp => new GcsObjectStore(
            sp.GetRequiredService<StorageClient>(),
            sp.GetRequiredService<WritePathOptions>().Store,
            sp.GetRequiredService<IStorageOperationCounter>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<GcsObjectStore>() ?? NullLogger<GcsObjectStore>.Instance));
        services.TryAddSingleton(sp => new ObjectPaths(sp.GetRequiredService<WritePathOptions>().Layout));
        services.TryAddSingleton(sp => sp.GetRequiredService<WritePathOptions>().SchemasFolder is { } folder
            ? EntitySchemaRegistry.FromFolder(folder)
            : new EntitySchemaRegistry(new GcsSchemaSource(sp.GetRequiredService<IObjectStore>(), sp.GetRequiredService<ObjectPaths>())));
        services.TryAddSingleton(sp => IndexCatalog.Load(sp.GetRequiredService<WritePathOptions>().IndicesFile
            ?? Path.Combine(FolderSchemaSource.FindRepoSchemas(), "indices.json")));
        services.TryAddSingleton(sp => new WebhookCatalog(sp.GetRequiredService<WritePathOptions>().Webhooks));
        services.TryAddSingleton(sp => new StorageContext(
            sp.GetRequiredService<IObjectStore>(), sp.GetRequiredService<ObjectPaths>(), sp.GetRequiredService<EntitySchemaRegistry>(), sp.GetRequiredService<IndexCatalog>())
        {
            Webhooks = sp.GetRequiredService<WebhookCatalog>(),
        });
        // Webhook POSTs only through the guarded handler; no request logging (the URL is a credential).
        services.AddHttpClient(AlertDeliveryOptions.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookHttpHandler.Create(sp.GetRequiredService<WebhookCatalog>(), sp.GetRequiredService<AlertDeliveryOptions>()))
            .RemoveAllLoggers();

        foreach (var type in WritePathTasks.ActivityTypes.Concat(WritePathTasks.OrchestratorTypes))
        {
            services.TryAddTransient(type);
        }

        return services;
    }
}
