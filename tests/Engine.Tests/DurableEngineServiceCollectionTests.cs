using EccoStudio.Engine.Tests.Support;
using EccoStudio.Engine.Tests.Tasks;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EccoStudio.Engine.Tests;

[Trait("Backend", "InMemory")]
public sealed class DurableEngineServiceCollectionTests
{
    [Fact]
    public async Task AddEccoDurableEngine_BoundFromConfiguration_InjectedClientRunsOrchestration()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DurableEngine:Backend"] = "InMemory",
            ["DurableEngine:TaskHubName"] = "ConfigHub",
            ["DurableEngine:WorkerId"] = "config-worker",
            ["DurableEngine:MaxConcurrentActivities"] = "7",
            ["DurableEngine:ShutdownDrainTimeout"] = "00:00:03",
        });
        builder.Services.AddSingleton<AttemptCounter>();
        builder.Services.AddEccoDurableEngine(builder.Configuration.GetSection(DurableEngineOptions.SectionName), TestTasks.Register);

        using var host = builder.Build();
        await host.StartAsync();
        var bound = host.Services.GetRequiredService<IOptions<DurableEngineOptions>>().Value;
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        var id = $"di-{Guid.NewGuid():N}";
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(ThreeStepOrchestrator), "d", new Microsoft.DurableTask.StartOrchestrationOptions(id));
        var done = await client.WaitForTerminalAsync(id);
        await host.StopAsync();

        Assert.Equal(EngineBackend.InMemory, bound.Backend);
        Assert.Equal("ConfigHub", bound.TaskHubName);
        Assert.Equal(7, bound.MaxConcurrentActivities);
        Assert.Equal(TimeSpan.FromSeconds(3), bound.ShutdownDrainTimeout);
        Assert.Equal("d>1>2>3", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task StartAsync_AzureStorageWithoutConnectionString_ThrowsArgumentException()
    {
        var options = new DurableEngineOptions { Backend = EngineBackend.AzureStorage };

        await Assert.ThrowsAsync<ArgumentException>(() => DurableEngine.StartAsync(options, TestTasks.Register));
    }
}
