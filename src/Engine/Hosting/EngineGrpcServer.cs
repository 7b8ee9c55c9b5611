using DurableTask.Core.History;
using EccoStudio.Engine.Backends;
using Grpc.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P = Microsoft.DurableTask.Protobuf;

namespace EccoStudio.Engine.Hosting;

/// <summary>
/// The sidecar's gRPC service: the Durable Task package's <see cref="TaskHubGrpcServer"/>, plus instance history for
/// clients. <c>StreamInstanceHistory</c> serves two callers: the worker, which asks for the past events of the
/// episode it is running (<c>forWorkItemProcessing</c>; the package answers that from its own cache), and a client's
/// <c>GetOrchestrationHistoryAsync</c>, which the package answers with nothing. Here the second reads the instance's
/// history from the backend (<see cref="GatedOrchestrationService.GetHistoryEventsAsync"/>) and streams it in chunks,
/// as the protocol's <c>HistoryChunk</c> intends; an unknown instance is <c>NOT_FOUND</c>. Every call, this one
/// included, has passed the sidecar's token check first (docs/security.md, "Entry points").
/// </summary>
public sealed class EngineGrpcServer(
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory,
    GatedOrchestrationService service,
    IOptions<TaskHubGrpcServerOptions> options)
    : TaskHubGrpcServer(lifetime, loggerFactory, service, service, options)
{
    /// <summary>Events per chunk stay under this many bytes (well under gRPC's default 4 MiB message limit).</summary>
    public const int MaxChunkBytes = 512 * 1024;

    /// <inheritdoc />
    public override async Task StreamInstanceHistory(P.StreamInstanceHistoryRequest request, IServerStreamWriter<P.HistoryChunk> responseStream, ServerCallContext context)
    {
        if (request.ForWorkItemProcessing)
        {
            await base.StreamInstanceHistory(request, responseStream, context);
            return;
        }

        if (string.IsNullOrEmpty(request.InstanceId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "instanceId is required."));
        }

        var events = await service.GetHistoryEventsAsync(request.InstanceId, request.ExecutionId, context.CancellationToken);
        if (events is null)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"No orchestration instance '{request.InstanceId}'."));
        }

        var chunk = new P.HistoryChunk();
        var bytes = 0;
        foreach (var e in events)
        {
            var proto = ProtobufUtils.ToHistoryEventProto(e);
            var size = proto.CalculateSize();
            if (chunk.Events.Count > 0 && bytes + size > MaxChunkBytes)
            {
                await responseStream.WriteAsync(chunk, context.CancellationToken);
                chunk = new P.HistoryChunk();
                bytes = 0;
            }

            chunk.Events.Add(proto);
            bytes += size;
        }

        if (chunk.Events.Count > 0)
        {
            await responseStream.WriteAsync(chunk, context.CancellationToken);
        }
    }
}
