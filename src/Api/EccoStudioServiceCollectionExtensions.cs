using EccoStudio.Api.Bridge;
using EccoStudio.Api.Configuration;
using EccoStudio.Api.Health;
using EccoStudio.Api.Ops;
using EccoStudio.Api.Reads;
using EccoStudio.Api.Writes;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Rules;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using Google.Cloud.Storage.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EccoStudio.Api;

/// <summary>
/// The composition root both hosts share: options bound from configuration (<c>Ecco:Storage</c>, <c>Ecco:Api</c>,
/// <c>Ecco:PubSub</c>, <c>Ecco:Alerts</c>), one singleton <see cref="StorageClient"/>, the storage model (<see cref="StorageContext"/>)
/// and the request handlers. The host adds the Durable Task client (local engine or <c>[DurableClient]</c>).
/// </summary>
public static class EccoStudioServiceCollectionExtensions
{
    public static IServiceCollection AddEccoStudio(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EccoStorageOptions>().Bind(configuration.GetSection(EccoStorageOptions.SectionName));
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
        services.TryAddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<EccoStorageOptions>>().Value;
            return storage.EmulatorUri() is { } emulator
                ? StorageClientFactory.CreateForEmulator(emulator)
                : StorageClientFactory.CreateDefault();
        });
        services.TryAddSingleton(new ObjectStoreOptions());
        services.TryAddSingleton<IStorageOperationCounter, StorageOperationCounter>();
        services.TryAddSingleton<IObjectStore>(sp => new GcsObjectStore(
            sp.GetRequiredService<StorageClient>(),
            sp.GetRequiredService<ObjectStoreOptions>(),
            sp.GetRequiredService<IStorageOperationCounter>(),
            sp.GetRequiredService<ILogger<GcsObjectStore>>()));
        services.TryAddSingleton(sp => new ObjectPaths(sp.GetRequiredService<IOptions<EccoStorageOptions>>().Value.ToLayout()));
        services.TryAddSingleton(sp => IndexCatalog.Load(Path.Combine(SchemasFolder(sp), "indices.json")));
        services.TryAddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<EccoStorageOptions>>().Value;
            ISchemaSource source = string.Equals(storage.SchemaSource, "folder", StringComparison.OrdinalIgnoreCase)
                ? new FolderSchemaSource(SchemasFolder(sp))
                : new GcsSchemaSource(sp.GetRequiredService<IObjectStore>(), sp.GetRequiredService<ObjectPaths>());
            return new EntitySchemaRegistry(source);
        });
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.SectionName));
        services.TryAddSingleton(sp => new WebhookCatalog(sp.GetRequiredService<IOptions<WebhookOptions>>().Value));
        services.TryAddSingleton(sp => new StorageContext(
            sp.GetRequiredService<IObjectStore>(),
            sp.GetRequiredService<ObjectPaths>(),
            sp.GetRequiredService<EntitySchemaRegistry>(),
            sp.GetRequiredService<IndexCatalog>())
        {
            Webhooks = sp.GetRequiredService<WebhookCatalog>(),
        });

        services.TryAddSingleton(GoogleKeySource.Google);
        services.TryAddSingleton<IPushTokenVerifier, GooglePushTokenVerifier>();
        services.TryAddSingleton<IEntityWorkScheduler, DurableWorkScheduler>();
        services.TryAddSingleton<WriteRequestHandler>();
        services.TryAddSingleton<BatchRequestHandler>();
        services.TryAddSingleton<ReadRequestHandler>();
        services.TryAddSingleton<OpsRequestHandler>();
        services.TryAddSingleton<PubSubBridgeHandler>();
        services.TryAddSingleton<HealthHandler>();
        return services;
    }

    /// <summary>The schemas folder: configured, or the first <c>schemas/indices.json</c> above the app's base directory.</summary>
    public static string SchemasFolder(IServiceProvider services)
    {
        var configured = services.GetRequiredService<IOptions<EccoStorageOptions>>().Value.SchemasFolder;
        return string.IsNullOrWhiteSpace(configured) ? FolderSchemaSource.FindRepoSchemas() : configured;
    }
}
