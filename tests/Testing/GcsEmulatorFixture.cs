using EccoStudio.GcsEmulator;
using Google.Cloud.Storage.V1;
using Xunit;

namespace EccoStudio.Testing;

/// <summary>
/// Starts an in-memory <see cref="GcsEmulatorServer"/> on a free port for a test class (IClassFixture) or a
/// collection, and builds real Google.Cloud.Storage.V1 clients against it. Sets no process-wide environment.
/// </summary>
public class GcsEmulatorFixture : IAsyncLifetime
{
    private static int s_counter;
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];
    private GcsEmulatorServer? _server;

    public GcsEmulatorServer Server => _server ?? throw new InvalidOperationException("The emulator has not started.");

    /// <summary>The project buckets are created in.</summary>
    public string ProjectId { get; private set; } = "ecco-local";

    /// <summary>http://127.0.0.1:PORT/storage/v1/ — the client's BaseUri.</summary>
    public string StorageBaseUri => new Uri(Server.BaseUri, "storage/v1/").ToString();

    public StorageClient CreateClient() => CreateClient(Server);

    /// <summary>A client for any emulator instance (e.g. one started on a data directory).</summary>
    public static StorageClient CreateClient(GcsEmulatorServer server) =>
        new StorageClientBuilder
        {
            BaseUri = new Uri(server.BaseUri, "storage/v1/").ToString(),
            UnauthenticatedAccess = true,
        }.Build();

    /// <summary>host:port, the value a STORAGE_EMULATOR_HOST would carry (set it per process you start, not in tests).</summary>
    public string StorageEmulatorHost => Server.HostAndPort;

    /// <summary>
    /// Creates a bucket with a fresh unique name (optionally versioned, optionally with Object Retention Lock, which
    /// GCS only enables at creation) and returns the name.
    /// </summary>
    public async Task<string> CreateBucketAsync(bool versioning = false, string prefix = "t", bool objectRetention = false)
    {
        var name = NewBucketName(prefix);
        using var client = CreateClient();
        await client.CreateBucketAsync(ProjectId, new Google.Apis.Storage.v1.Data.Bucket
        {
            Name = name,
            Versioning = versioning ? new Google.Apis.Storage.v1.Data.Bucket.VersioningData { Enabled = true } : null,
        }, new CreateBucketOptions { ObjectRetentionEnabled = objectRetention ? true : null });
        return name;
    }

    /// <summary>A bucket name unique per call and per run (lowercase, 3..63 chars).</summary>
    public string NewBucketName(string prefix = "t") =>
        $"{prefix}-{_runId}-{Interlocked.Increment(ref s_counter)}";

    /// <summary>Override to change how the emulator starts (faults, event sink, Pub/Sub host).</summary>
    protected virtual void Configure(GcsEmulatorOptions options)
    {
    }

    public async Task InitializeAsync()
    {
        var options = new GcsEmulatorOptions { Port = 0, PubSubEmulatorHost = string.Empty };
        Configure(options);
        ProjectId = options.ProjectId;
        _server = await GcsEmulatorServer.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
