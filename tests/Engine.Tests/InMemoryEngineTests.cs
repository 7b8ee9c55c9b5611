using EccoStudio.Engine.Tests.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EccoStudio.Engine.Tests;

/// <summary>One in-memory engine shared by the in-memory tests.</summary>
public sealed class InMemoryEngineFixture : IAsyncLifetime
{
    /// <summary>The counter the activities record into.</summary>
    public AttemptCounter Attempts { get; } = new();

    /// <summary>The running engine.</summary>
    public DurableEngine Engine { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() =>
        Engine = await DurableEngine.StartAsync(
            new DurableEngineOptions { Backend = EngineBackend.InMemory },
            TestTasks.Register,
            services => services.AddSingleton(Attempts));

    /// <inheritdoc />
    public async Task DisposeAsync() => await Engine.DisposeAsync();
}

[Trait("Backend", "InMemory")]
public sealed class InMemoryEngineTests(InMemoryEngineFixture fixture, ITestOutputHelper output)
    : EngineScenarios(output), IClassFixture<InMemoryEngineFixture>
{
    protected override DurableEngine Engine => fixture.Engine;

    protected override AttemptCounter Attempts => fixture.Attempts;

    [Fact]
    public async Task Concurrency_200Orchestrations_AllComplete()
    {
        // RunConcurrentAsync asserts that every instance completed with the right output and reports the rate.
        await RunConcurrentAsync(200);
    }
}
