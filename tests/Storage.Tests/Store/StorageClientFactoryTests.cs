using EccoStudio.Storage.Store;
using Google.Apis.Auth.OAuth2;

namespace EccoStudio.Storage.Tests.Store;

/// <summary>Process environment is changed here: never run beside other tests.</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary>
/// Workload identity federation (docs/operations.md): the store's production client loads an <c>external_account</c>
/// configuration named by <c>GOOGLE_APPLICATION_CREDENTIALS</c>. Loading needs no network (the token exchange happens
/// on the first request).
/// </summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class StorageClientFactoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecco-wif-").FullName;
    private readonly string? _credentials = Environment.GetEnvironmentVariable("GOOGLE_APPLICATION_CREDENTIALS");
    private readonly string? _emulator = Environment.GetEnvironmentVariable("STORAGE_EMULATOR_HOST");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("GOOGLE_APPLICATION_CREDENTIALS", _credentials);
        Environment.SetEnvironmentVariable("STORAGE_EMULATOR_HOST", _emulator);
        Directory.Delete(_dir, recursive: true);
    }

    private const string Audience = "//iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/azure/providers/azure-app";
    private const string Impersonation = "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/ecco-writer@my-project.iam.gserviceaccount.com:generateAccessToken";

    private string Write(string json)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(path, json);
        Environment.SetEnvironmentVariable("GOOGLE_APPLICATION_CREDENTIALS", path);
        Environment.SetEnvironmentVariable("STORAGE_EMULATOR_HOST", null);
        return path;
    }

    [Fact]
    public void CreateDefault_ExternalAccountConfig_LoadsWorkloadIdentityFederationWithoutNetwork()
    {
        Write($$"""
            {
              "type": "external_account",
              "audience": "{{Audience}}",
              "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
              "token_url": "https://sts.googleapis.com/v1/token",
              "service_account_impersonation_url": "{{Impersonation}}",
              "credential_source": {
                "url": "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=api://ecco-gcp",
                "headers": { "Metadata": "True" },
                "format": { "type": "json", "subject_token_field_name": "access_token" }
              }
            }
            """);

        using var client = StorageClientFactory.CreateDefault();
        Assert.NotNull(client);
        var credential = Assert.IsType<UrlSourcedExternalAccountCredential>(GoogleCredential.GetApplicationDefault().UnderlyingCredential);
        Assert.Equal(Audience, credential.Audience);
        Assert.Equal(Impersonation, credential.ServiceAccountImpersonationUrl);
    }

    [Fact]
    public void CreateDefault_ExternalAccountConfigWithoutCredentialSource_Throws()
    {
        Write($$"""{ "type": "external_account", "audience": "{{Audience}}", "subject_token_type": "urn:ietf:params:oauth:token-type:jwt", "token_url": "https://sts.googleapis.com/v1/token" }""");
        Assert.ThrowsAny<Exception>(() => StorageClientFactory.CreateDefault());
    }
}
