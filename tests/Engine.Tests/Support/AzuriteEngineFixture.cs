using EccoStudio.Engine.Tests.Tasks;
using EccoStudio.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Engine.Tests.Support;

/// <summary>
/// One Azurite for the collection, plus an engine on a task hub unique to this run. Tests that need an engine
/// of their own (restart, kill) use <see cref="Azurite"/> with their own task hub.
/// </summary>
public sealed class AzuriteEngineFixture : IAsyncLifetime
{
    /// <summary>The Azurite process.</summary>
    public AzuriteFixture Azurite { get; } = new();

    /// <summary>The counter the shared engine's activities record into.</summary>
    public AttemptCounter Attempts { get; } = new();

    /// <summary>The shared engine.</summary>
    public DurableEngine Engine { get; private set; } = null!;

    /// <summary>A task hub name unique to this run (letters and digits, starts with a letter).</summary>
    public static string NewTaskHub(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Options for the Azure Storage backend on this Azurite.</summary>
    public DurableEngineOptions Options(string taskHub, string workerId) => new()
    {
        Backend = EngineBackend.AzureStorage,
        ConnectionString = Azurite.ConnectionString,
        TaskHubName = taskHub,
        WorkerId = workerId,
        PartitionCount = 2,
        ActivityVisibilityTimeout = TimeSpan.FromSeconds(10),
        OrchestrationVisibilityTimeout = TimeSpan.FromSeconds(10),
    };

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        Engine = await DurableEngine.StartAsync(
            Options(NewTaskHub("shared"), "shared-worker"),
            TestTasks.Register,
            services => services.AddSingleton(Attempts));
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Engine is not null)
        {
            await Engine.DisposeAsync();
        }

        await Azurite.DisposeAsync();
    }
}

/// <summary>The collection of Azurite-backed tests: one Azurite, run one test at a time.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteTestGroup : ICollectionFixture<AzuriteEngineFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = "Azurite";
}
