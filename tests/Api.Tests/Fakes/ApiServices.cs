using EccoStudio.Api.Bridge;
using EccoStudio.Api.Writes;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Schemas;
using EccoStudio.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Api.Tests.Fakes;

/// <summary>The shared composition root (<see cref="EccoStudioServiceCollectionExtensions.AddEccoStudio"/>) over a test bucket, with a recording scheduler.</summary>
public static class ApiServices
{
    public static ServiceProvider Build(GcsEmulatorFixture gcs, string bucket, RecordingScheduler scheduler,
        IEnumerable<KeyValuePair<string, string?>>? settings = null, GoogleKeySource? keys = null, ILoggerProvider? logs = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ecco:Storage:Bucket"] = bucket,
            ["Ecco:Storage:EmulatorHost"] = gcs.Server.BaseUri.ToString(),
            ["Ecco:Storage:SchemaSource"] = "folder",
            ["Ecco:Storage:SchemasFolder"] = FolderSchemaSource.FindRepoSchemas(),
            ["Ecco:Api:ServedEnvironments"] = "dev",
        }).AddInMemoryCollection(settings ?? []).Build();
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            if (logs is not null)
            {
                b.AddProvider(logs);
            }
        });
        if (keys is not null)
        {
            services.AddSingleton(keys);
        }

        services.AddEccoStorage(configuration);
        services.AddEccoStudio(configuration);
        services.Replace(ServiceDescriptor.Singleton<IEntityWorkScheduler>(scheduler));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
