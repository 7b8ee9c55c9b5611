using EccoStudio.Storage.Composition;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Host.Commands;

/// <summary>
/// The storage services of an ops command (provision, schemas publish, dr-drill), from the one composition
/// (<see cref="StorageServiceCollectionExtensions.AddEccoStorage(IServiceCollection, Action{EccoStorageOptions}, Action{Storage.Rules.WebhookOptions}?)"/>)
/// as verify uses it: the same client rules (an explicit emulator endpoint without credentials, else Google Cloud
/// Storage with the credentials file or application default credentials, a stray STORAGE_EMULATOR_HOST refused) and
/// the same object store. Dispose the provider when the command ends; it owns the client.
/// </summary>
public static class CommandStorage
{
    /// <param name="gcs">The emulator endpoint; null = Google Cloud Storage.</param>
    public static ServiceProvider Create(Uri? gcs, string bucket) =>
        (ServiceProvider)StorageServiceCollectionExtensions.CreateServices(o =>
        {
            o.EmulatorHost = gcs?.ToString();
            o.Bucket = bucket;
        });
}
