using EccoStudio.Engine.Tests.Support;
using EccoStudio.Engine.Tests.Tasks;
using EccoStudio.Orchestrations.Instances;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Engine.Tests;

[Collection(AzuriteTestGroup.Name)]
[Trait("Backend", "Azurite")]
public sealed class AzuriteRestartTests(AzuriteEngineFixture fixture)
{
    [Fact]
    public async Task Restart_EngineDisposedDuringTimer_NewEngineOnSameHubCompletesInstance()
    {
        var hub = AzuriteEngineFixture.NewTaskHub("restart");
        var options = fixture.Options(hub, "restart-worker");
        var attempts = new AttemptCounter();
        var id = $"restart-{Guid.NewGuid():N}";

        OrchestrationMetadata beforeRestart;
        await using (var first = await DurableEngine.StartAsync(options, TestTasks.Register, s => s.AddSingleton(attempts)))
        {
            await first.Client.StartOrchestrationAsync(nameof(TimerOrchestrator), id, new TimerInput("r", TimerSeconds: 6));
            beforeRestart = await first.Client.WaitUntilAsync(
                id, m => m.SerializedCustomStatus is not null && m.ReadCustomStatusAs<string>() == TimerOrchestrator.TimerStatus);
        }

        var step2BeforeRestart = attempts.Get($"{id}/step2");
        await using var second = await DurableEngine.StartAsync(options, TestTasks.Register, s => s.AddSingleton(attempts));
        var done = await second.Client.WaitForTerminalAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Running, beforeRestart.RuntimeStatus);
        Assert.Equal(0, step2BeforeRestart);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("r>1>2", done.ReadOutputAs<string>());
        Assert.Equal(1, attempts.Get($"{id}/step1"));
        Assert.Equal(1, attempts.Get($"{id}/step2"));
    }
}
