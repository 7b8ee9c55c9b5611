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
    /// Credentials come from <paramref name="credentialsFile"/>, else the file <c>GOOGLE_APPLICATION_CREDENTIALS</c>
    /// names (a service account key or a workload identity federation <c>external_account</c> configuration, see
    /// <see cref="GoogleCredentialFile"/>), else the client library's discovery (gcloud login, metadata server).
    /// </summary>
    public static StorageClient CreateDefault(bool allowEmulatorHost = false, Func<string, string?>? environment = null, string? credentialsFile = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var emulatorHost = environment(EmulatorHostVariable);
        if (!string.IsNullOrWhiteSpace(emulatorHost) && !allowEmulatorHost)
        {
            throw new InvalidOperationException(
                $"{EmulatorHostVariable} is set but this process is configured for Google Cloud Storage: refusing to send data to an emulator host. "
                + "Unset it, or set Ecco:Storage:EmulatorHost (or Ecco:Storage:AllowEmulatorHost=true) when an emulator is meant.");
        }

        return new StorageClientBuilder
        {
            GoogleCredential = GoogleCredentialFile.Load(credentialsFile, environment),
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
