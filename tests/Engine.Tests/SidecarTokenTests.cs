using EccoStudio.Engine.Tests.Tasks;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Protobuf;

namespace EccoStudio.Engine.Tests;

/// <summary>
/// Issue 16: the sidecar listens on loopback; a raw gRPC call from another local process (no per-process token) is
/// refused for reading (status and history), starting, terminating and purging; the engine's own client works.
/// </summary>
[Trait("Backend", "InMemory")]
public sealed class SidecarTokenTests(InMemoryEngineFixture fixture) : IClassFixture<InMemoryEngineFixture>
{
    [Fact]
    public async Task RawGrpcCall_WithoutOrWithWrongToken_RefusedUnauthenticated_EngineClientWorks()
    {
        var id = "secret-input-" + Guid.NewGuid().ToString("N");
        await fixture.Engine.Client.ScheduleNewOrchestrationInstanceAsync(new TaskName(nameof(WaitForEventOrchestrator)), "planted-input",
            new StartOrchestrationOptions(id));
        Assert.Equal("\"planted-input\"", (await fixture.Engine.Client.GetInstanceAsync(id, getInputsAndOutputs: true))!.SerializedInput);

        foreach (var authorization in new string?[] { null, "Bearer wrong", "Bearer " + new string('0', 64) })
        {
            using var channel = GrpcChannel.ForAddress(fixture.Engine.Endpoint.Address);
            var raw = new TaskHubSidecarService.TaskHubSidecarServiceClient(channel);
            var headers = authorization is null ? null : new Metadata { { "authorization", authorization } };

            var read = await Assert.ThrowsAsync<RpcException>(async () =>
                await raw.GetInstanceAsync(new GetInstanceRequest { InstanceId = id, GetInputsAndOutputs = true }, headers));
            Assert.Equal(StatusCode.Unauthenticated, read.StatusCode);
            Assert.DoesNotContain("planted-input", read.ToString(), StringComparison.Ordinal);
            Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(async () =>
                await raw.TerminateInstanceAsync(new TerminateRequest { InstanceId = id }, headers))).StatusCode);
            Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(async () =>
                await raw.StartInstanceAsync(new CreateInstanceRequest { InstanceId = id + "-x", Name = nameof(ThreeStepOrchestrator) }, headers))).StatusCode);
            Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(async () =>
                await raw.PurgeInstancesAsync(new PurgeInstancesRequest { InstanceId = id }, headers))).StatusCode);
            var history = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                using var stream = raw.StreamInstanceHistory(new StreamInstanceHistoryRequest { InstanceId = id }, headers);
                while (await stream.ResponseStream.MoveNext(CancellationToken.None))
                {
                    Assert.Fail("a history chunk was served without the token");
                }
            });
            Assert.Equal(StatusCode.Unauthenticated, history.StatusCode);
        }

        // The engine's own client reads the history (once the first episode has run).
        await fixture.Engine.Client.WaitForInstanceStartAsync(id);
        Assert.Contains(await fixture.Engine.Client.GetOrchestrationHistoryAsync(id), e => e is DurableTask.Core.History.ExecutionStartedEvent);
        var still = await fixture.Engine.Client.GetInstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Running, still!.RuntimeStatus);
        Assert.Null(await fixture.Engine.Client.GetInstanceAsync(id + "-x"));
        await fixture.Engine.Client.TerminateInstanceAsync(id);
    }
}
