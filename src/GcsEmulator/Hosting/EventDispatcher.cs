using System.Threading.Channels;
using EccoStudio.GcsEmulator.Api;
using EccoStudio.GcsEmulator.Notifications;
using EccoStudio.GcsEmulator.Store;

namespace EccoStudio.GcsEmulator.Hosting;

/// <summary>
/// Takes committed changes from the store (in commit order, without blocking the request) and hands them to the
/// sinks as <see cref="ObjectChangeEvent"/>s from one background loop, so sinks see them in the same order.
/// </summary>
public sealed partial class EventDispatcher : IStoreChangeListener, IAsyncDisposable
{
    private readonly Channel<StoreChange> _queue = Channel.CreateUnbounded<StoreChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IReadOnlyList<IObjectEventSink> _sinks;
    private readonly Func<string> _baseAddress;
    private readonly ILogger _logger;
    private readonly Task _loop;

    public EventDispatcher(IReadOnlyList<IObjectEventSink> sinks, Func<string> baseAddress, ILogger logger)
    {
        _sinks = sinks;
        _baseAddress = baseAddress;
        _logger = logger;
        _loop = sinks.Count == 0 ? Task.CompletedTask : Task.Run(RunAsync);
    }

    public void OnCommitted(StoreChange change)
    {
        if (_sinks.Count > 0)
        {
            _queue.Writer.TryWrite(change);
        }
    }

    private async Task RunAsync()
    {
        await foreach (var change in _queue.Reader.ReadAllAsync())
        {
            var meta = change.Meta;
            var evt = new ObjectChangeEvent(
                change.EventType, meta.Bucket, meta.Name, meta.Generation, ResourceJson.ObjectResource(meta, _baseAddress()),
                change.Time, change.OverwroteGeneration, change.OverwrittenByGeneration, change.NotificationConfigs);
            foreach (var sink in _sinks)
            {
                try
                {
                    sink.OnObjectChanged(evt);
                }
                catch (Exception e)
                {
                    LogSinkFailed(_logger, e, change.EventType, meta.Bucket, meta.Name);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event sink failed on {EventType} {Bucket}/{Name}")]
    private static partial void LogSinkFailed(ILogger logger, Exception error, string eventType, string bucket, string name);
}
