using Google.Cloud.Storage.V1;

namespace EccoStudio.Storage.Store;

/// <summary>Builds the one <see cref="StorageClient"/> a process should hold (register it as a singleton).</summary>
public static class StorageClientFactory
{
    public const string EmulatorHostVariable = "STORAGE_EMULATOR_HOST";

    /// <summary>
    /// Google Cloud Storage with application default credentials. A <c>STORAGE_EMULATOR_HOST</c> left in the
    /// environment would silently send production data to that host, so it is refused (an
    /// <see cref="InvalidOperationException"/> at start) unless <paramref name="allowEmulatorHost"/> says it is
    /// meant (<c>Ecco:Storage:AllowEmulatorHost</c>); explicit emulator endpoints use <see cref="CreateForEmulator"/>.
    /// </summary>
    public static StorageClient CreateDefault(bool allowEmulatorHost = false, Func<string, string?>? environment = null)
    {
        var emulatorHost = (environment ?? Environment.GetEnvironmentVariable)(EmulatorHostVariable);
        if (!string.IsNullOrWhiteSpace(emulatorHost) && !allowEmulatorHost)
        {
            throw new InvalidOperationException(
                $"{EmulatorHostVariable} is set but this process is configured for Google Cloud Storage: refusing to send data to an emulator host. "
                + "Unset it, or set Ecco:Storage:EmulatorHost (or Ecco:Storage:AllowEmulatorHost=true) when an emulator is meant.");
        }

        return new StorageClientBuilder
        {
            EmulatorDetection = allowEmulatorHost ? Google.Api.Gax.EmulatorDetection.EmulatorOrProduction : Google.Api.Gax.EmulatorDetection.ProductionOnly,
        }.Build();
    }

    /// <summary>An explicit emulator endpoint, e.g. <c>http://127.0.0.1:4443/</c>, without credentials.</summary>
    public static StorageClient CreateForEmulator(Uri endpoint)
    {
        var baseUri = endpoint.ToString().TrimEnd('/') + "/storage/v1/";
        return new StorageClientBuilder { BaseUri = baseUri, UnauthenticatedAccess = true }.Build();
    }
}
