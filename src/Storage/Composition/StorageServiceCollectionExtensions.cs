using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Rules;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using Google.Cloud.Storage.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EccoStudio.Storage.Composition;

/// <summary>
/// The one storage composition: every host (local and Functions), the CLI commands and the benchmarks get the
/// <see cref="StorageClient"/>, <see cref="IObjectStore"/>, layout, schema registry, index definitions and
/// <see cref="StorageContext"/> from here, all built from one <see cref="EccoStorageOptions"/>.
/// A service registered before this call (a test's fault-injecting store, a bench's operation counter) is kept.
/// </summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>Storage bound from the configuration section <c>Ecco:Storage</c>.</summary>
    public static IServiceCollection AddEccoStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EccoStorageOptions>().Bind(configuration.GetSection(EccoStorageOptions.SectionName));
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.SectionName));
        return services.AddStorageServices();
    }

    /// <summary>Storage configured in code (commands, benchmarks, tests); <paramref name="webhooks"/> names alert destinations.</summary>
    public static IServiceCollection AddEccoStorage(this IServiceCollection services, Action<EccoStorageOptions> configure,
        Action<WebhookOptions>? webhooks = null)
    {
        services.AddOptions<EccoStorageOptions>().Configure(configure);
        if (webhooks is not null)
        {
            services.AddOptions<WebhookOptions>().Configure(webhooks);
        }

        return services.AddStorageServices();
    }

    /// <summary>
    /// The storage services alone, for a process that composes nothing else (a command, a benchmark's direct path);
    /// <paramref name="services"/> may pre-register a client, counter or store to use instead of the defaults. The
    /// services are singletons that live as long as the process that asked for them.
    /// </summary>
    public static IServiceProvider CreateServices(Action<EccoStorageOptions> configure, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        services?.Invoke(collection);
#pragma warning disable CA2000 // the provider owns the singletons its caller keeps using; it must outlive this call
        return collection.AddEccoStorage(configure).BuildServiceProvider();
#pragma warning restore CA2000
    }

    /// <summary>The storage model alone (see <see cref="CreateServices"/>).</summary>
    public static StorageContext CreateContext(Action<EccoStorageOptions> configure, Action<IServiceCollection>? services = null) =>
        CreateServices(configure, services).GetRequiredService<StorageContext>();

    private static IServiceCollection AddStorageServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => Options(sp).EmulatorUri() is { } emulator
            ? StorageClientFactory.CreateForEmulator(emulator)
            : StorageClientFactory.CreateDefault(Options(sp).AllowEmulatorHost, credentialsFile: Options(sp).CredentialsFile));
        services.TryAddSingleton<IStorageOperationCounter, StorageOperationCounter>();
        services.TryAddSingleton(sp => new GcsObjectStore(
            sp.GetRequiredService<StorageClient>(),
            Options(sp).Store,
            sp.GetRequiredService<IStorageOperationCounter>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<GcsObjectStore>() ?? NullLogger<GcsObjectStore>.Instance));
        services.TryAddSingleton<IObjectStore>(sp => sp.GetRequiredService<GcsObjectStore>());
        services.TryAddSingleton<IObjectVersions>(sp => sp.GetRequiredService<GcsObjectStore>());
        services.TryAddSingleton(sp => new ObjectPaths(Options(sp).ToLayout()));
        services.TryAddSingleton(sp => IndexCatalog.Load(Path.Combine(Options(sp).ResolveSchemasFolder(), "indices.json")));
        services.TryAddSingleton(sp =>
        {
            var options = Options(sp);
            ISchemaSource source = options.ReadsSchemasFromFolder
                ? new FolderSchemaSource(options.ResolveSchemasFolder())
                : new GcsSchemaSource(sp.GetRequiredService<IObjectStore>(), sp.GetRequiredService<ObjectPaths>());
            return new EntitySchemaRegistry(source);
        });
        services.TryAddSingleton(sp => new WebhookCatalog(sp.GetRequiredService<IOptions<WebhookOptions>>().Value));
        services.TryAddSingleton(sp => new StorageContext(
            sp.GetRequiredService<IObjectStore>(),
            sp.GetRequiredService<ObjectPaths>(),
            sp.GetRequiredService<EntitySchemaRegistry>(),
            sp.GetRequiredService<IndexCatalog>())
        {
            Webhooks = sp.GetRequiredService<WebhookCatalog>(),
            HistoryRetention = HistoryRetention.FromSettings(Options(sp).HistoryRetentionDays, Options(sp).HistoryRetentionMode),
            Clock = sp.GetRequiredService<TimeProvider>(),
            ManifestChanges = Options(sp).ManifestChanges,
        });
        return services;
    }

    private static EccoStorageOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<EccoStorageOptions>>().Value;
}
