using EccoStudio.Host.Dev;
using EccoStudio.Testing;

namespace EccoStudio.Host.Tests;

/// <summary>A dev host whose durable engine is the Azure Storage backend on its own Azurite (free ports, temp dirs).</summary>
public sealed class AzuriteDevHostFixture : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "ecco-host-az-" + Guid.NewGuid().ToString("N")[..8]);

    public AzuriteFixture Azurite { get; } = new();

    public DevHost Host { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        Host = await DevHost.StartAsync(new DevSettings { Port = 0, GcsPort = 0, DataDirectory = _data, AzuriteConnection = Azurite.ConnectionString },
            new Dictionary<string, string?> { ["DurableEngine:PartitionCount"] = "1" });
        Http = new HttpClient { BaseAddress = Host.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await Azurite.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
