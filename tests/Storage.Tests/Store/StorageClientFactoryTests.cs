using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Store;
using Google.Apis.Auth.OAuth2;
using Google.Cloud.Storage.V1;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Storage.Tests.Store;

/// <summary>
/// The production client's credentials (docs/operations.md "Workload identity federation"). The environment is passed
/// to the factory as a function, so nothing here changes the process environment or Google's process-wide cache.
/// </summary>
public sealed class StorageClientFactoryTests : IDisposable
{
    private const string Variable = GoogleCredentialFile.EnvironmentVariable;
    private readonly string _dir = Directory.CreateTempSubdirectory("ecco-credentials-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void CreateDefault_StrayEmulatorHost_RefusedUnlessAllowed()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            StorageClientFactory.CreateDefault(environment: name => name == StorageClientFactory.EmulatorHostVariable ? "attacker.example:4443" : null));
        Assert.Contains("STORAGE_EMULATOR_HOST is set", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("attacker.example", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateDefault_RepoWorkloadIdentitySample_ClientUsesUrlSourcedExternalAccountCredential()
    {
        // The very file docs/operations.md tells operators to start from (deploy/gcp-wif.sample.json).
        var sample = Path.Combine(AppContext.BaseDirectory, "Store", "gcp-wif.sample.json");

        using var client = StorageClientFactory.CreateDefault(environment: Env(sample));

        var credential = Assert.IsType<UrlSourcedExternalAccountCredential>(UnderlyingCredential(client));
        Assert.Equal("//iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/azure/providers/azure-app", credential.Audience);
        Assert.Equal("urn:ietf:params:oauth:token-type:jwt", credential.SubjectTokenType);
        Assert.Equal("https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/ecco-writer@YOUR_GCP_PROJECT_ID.iam.gserviceaccount.com:generateAccessToken",
            credential.ServiceAccountImpersonationUrl);
        Assert.StartsWith("http://169.254.169.254/metadata/identity/oauth2/token?", credential.SubjectTokenUrl, StringComparison.Ordinal);
        Assert.Equal("True", credential.Headers["Metadata"]);
        Assert.Equal("access_token", credential.SubjectTokenJsonFieldName);
        Assert.Contains("https://www.googleapis.com/auth/devstorage.full_control", credential.Scopes);
    }

    [Fact]
    public async Task CreateDefault_ExternalAccountPointingAtLocalListener_MakesNoRequestWhileBuilding()
    {
        // Both the Azure token endpoint and Google's STS point at a listener that counts connections: building the
        // client (and the store on top of it) must not fetch a token.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var connections = 0;
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                using var socket = await listener.AcceptSocketAsync();
                Interlocked.Increment(ref connections);
            }
        });
        var config = Sample();
        config["token_url"] = $"http://127.0.0.1:{port}/v1/token";
        config["credential_source"]!["url"] = $"http://127.0.0.1:{port}/metadata/identity/oauth2/token";
        var path = Write(config.ToJsonString());

        using var services = (ServiceProvider)StorageServiceCollectionExtensions.CreateServices(o => o.CredentialsFile = path);
        var client = services.GetRequiredService<StorageClient>();
        _ = services.GetRequiredService<IObjectStore>();
        await Task.Delay(200);

        Assert.IsType<UrlSourcedExternalAccountCredential>(UnderlyingCredential(client));
        Assert.Equal(0, Volatile.Read(ref connections));
        Assert.False(accepting.IsCompleted);
    }

    [Fact]
    public void CreateDefault_FileSourcedExternalAccount_ClientUsesFileSourcedCredential()
    {
        var config = Sample();
        config["credential_source"] = new JsonObject { ["file"] = Path.Combine(_dir, "azure-token.jwt") };

        using var client = StorageClientFactory.CreateDefault(environment: Env(Write(config.ToJsonString())));

        var credential = Assert.IsType<FileSourcedExternalAccountCredential>(UnderlyingCredential(client));
        Assert.Equal(Path.Combine(_dir, "azure-token.jwt"), credential.SubjectTokenFilePath);
    }

    [Fact]
    public void CreateDefault_OptionNamesFile_WinsOverEnvironment()
    {
        var option = Write(Sample().ToJsonString());
        using var client = StorageClientFactory.CreateDefault(environment: Env(Path.Combine(_dir, "missing.json")), credentialsFile: option);
        Assert.IsType<UrlSourcedExternalAccountCredential>(UnderlyingCredential(client));
    }

    public static TheoryData<string, string, string> Malformed => new()
    {
        { "no-source", """{ "type": "external_account", "audience": "a", "subject_token_type": "urn:ietf:params:oauth:token-type:jwt", "token_url": "https://sts.googleapis.com/v1/token" }""",
            "is not a valid external_account configuration: JSON data does not represent a valid external account credential" },
        { "empty-source", """{ "type": "external_account", "audience": "a", "subject_token_type": "urn:ietf:params:oauth:token-type:jwt", "token_url": "https://sts.googleapis.com/v1/token", "credential_source": { "headers": { "Metadata": "True" } } }""",
            "is not a valid external_account configuration: Unrecognized external credential configuration" },
        { "executable-source", """{ "type": "external_account", "audience": "a", "subject_token_type": "urn:ietf:params:oauth:token-type:jwt", "token_url": "https://sts.googleapis.com/v1/token", "credential_source": { "executable": { "command": "/bin/true" } } }""",
            "is not a valid external_account configuration: Unrecognized external credential configuration" },
        { "no-type", """{ "audience": "a" }""", "is not a JSON object with a \"type\" field" },
        { "not-json", "audience: a", "is not a JSON object with a \"type\" field" },
        { "unknown-type", """{ "type": "external-account" }""", "has type \"external-account\"; expected one of external_account, service_account" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void CreateDefault_MalformedCredentialFile_ThrowsNamingSettingPathAndReason(string name, string json, string reason)
    {
        var path = Path.Combine(_dir, name + ".json");
        File.WriteAllText(path, json);

        var e = Assert.Throws<InvalidOperationException>(() => StorageClientFactory.CreateDefault(environment: Env(path)));

        Assert.StartsWith($"GOOGLE_APPLICATION_CREDENTIALS names {path}, which ", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateDefault_MissingCredentialFile_ThrowsNamingTheOption()
    {
        var path = Path.Combine(_dir, "absent.json");
        var e = Assert.Throws<InvalidOperationException>(() => StorageClientFactory.CreateDefault(environment: _ => null, credentialsFile: path));
        Assert.Equal($"Ecco:Storage:CredentialsFile names {path}, which cannot be read (FileNotFoundException).", e.Message);
    }

    [Fact]
    public void CreateDefault_BadFileThenGoodFile_EachLoadedOnItsOwn()
    {
        // Google's application default credentials cache the first outcome per process, failures included; ours must not.
        var bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, """{ "type": "external_account" }""");
        Assert.Throws<InvalidOperationException>(() => StorageClientFactory.CreateDefault(environment: Env(bad)));

        using var client = StorageClientFactory.CreateDefault(environment: Env(Write(Sample().ToJsonString())));
        Assert.IsType<UrlSourcedExternalAccountCredential>(UnderlyingCredential(client));
    }

    private static JsonObject Sample() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Store", "gcp-wif.sample.json")))!.AsObject();

    private string Write(string json)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    private static Func<string, string?> Env(string credentials) => name => name == Variable ? credentials : null;

    /// <summary>The credential the client authorizes requests with (the builder scopes it for storage).</summary>
    private static ICredential UnderlyingCredential(StorageClient client) =>
        Assert.IsType<GoogleCredential>(client.Service.HttpClientInitializer).UnderlyingCredential;
}
