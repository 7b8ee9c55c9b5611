using Google.Cloud.Storage.V1;

namespace EccoStudio.Storage.Store;

/// <summary>Builds the one <see cref="StorageClient"/> a process should hold (register it as a singleton).</summary>
public static class StorageClientFactory
{
    /// <summary>Production credentials, or the emulator when <c>STORAGE_EMULATOR_HOST</c> is set.</summary>
    public static StorageClient CreateDefault() =>
        new StorageClientBuilder { EmulatorDetection = Google.Api.Gax.EmulatorDetection.EmulatorOrProduction }.Build();

    /// <summary>An explicit emulator endpoint, e.g. <c>http://127.0.0.1:4443/</c>, without credentials.</summary>
    public static StorageClient CreateForEmulator(Uri endpoint)
    {
        var baseUri = endpoint.ToString().TrimEnd('/') + "/storage/v1/";
        return new StorageClientBuilder { BaseUri = baseUri, UnauthenticatedAccess = true }.Build();
    }
}
