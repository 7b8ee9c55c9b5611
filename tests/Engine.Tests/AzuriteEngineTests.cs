using EccoStudio.Engine.Tests.Support;
using EccoStudio.Engine.Tests.Tasks;
using Xunit.Abstractions;

namespace EccoStudio.Engine.Tests;

[Collection(AzuriteTestGroup.Name)]
[Trait("Backend", "Azurite")]
public sealed class AzuriteEngineTests(AzuriteEngineFixture fixture, ITestOutputHelper output) : EngineScenarios(output)
{
    protected override DurableEngine Engine => fixture.Engine;

    protected override AttemptCounter Attempts => fixture.Attempts;

    [Fact]
    public async Task Concurrency_40Orchestrations_AllComplete()
    {
        // RunConcurrentAsync asserts that every instance completed with the right output and reports the rate.
        await RunConcurrentAsync(40);
    }
}
