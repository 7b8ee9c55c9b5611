using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;

namespace EccoStudio.GcsEmulator.Notifications;

/// <summary>
/// Publishes committed object changes to the Pub/Sub topics of the bucket's notification configs over the
/// Pub/Sub REST API (<c>POST http://HOST/v1/projects/P/topics/T:publish</c>). Never blocks the caller: events are
/// queued and published in order by one background task; transient failures (connection errors, timeouts, 429, 5xx)
/// are retried with exponential backoff up to <see cref="MaxAttempts"/> times, then the message is dropped and logged.
/// </summary>
public sealed class PubSubNotificationPublisher : IObjectEventSink, IAsyncDisposable
{
    /// <summary>Attempts per message before it is dropped.</summary>
    public const int MaxAttempts = 5;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

    private readonly Channel<WorkItem> _queue = Channel.CreateUnbounded<WorkItem>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly Task _pump;
    private long _published;
    private long _dropped;

    /// <param name="pubSubHost">host:port of the Pub/Sub endpoint (emulator), e.g. 127.0.0.1:8085.</param>
    public PubSubNotificationPublisher(string pubSubHost)
        : this(pubSubHost, NullLogger.Instance)
    {
    }

    /// <param name="pubSubHost">host:port of the Pub/Sub endpoint (emulator), or an absolute http(s) base URL.</param>
    /// <param name="logger">Where retries and drops are logged.</param>
    /// <param name="handler">The HTTP handler (tests); null = a default one.</param>
    public PubSubNotificationPublisher(string pubSubHost, ILogger logger, HttpMessageHandler? handler = null)
    {
        PubSubHost = pubSubHost;
        _logger = logger;
        var baseUri = pubSubHost.Contains("://", StringComparison.Ordinal)
            ? new Uri(pubSubHost.TrimEnd('/') + "/")
            : new Uri($"http://{pubSubHost}/");
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = baseUri;
        _http.Timeout = TimeSpan.FromSeconds(10);
        _pump = Task.Run(PumpAsync);
    }

    public string PubSubHost { get; }

    /// <summary>Messages published successfully so far.</summary>
    public long PublishedCount => Interlocked.Read(ref _published);

    /// <summary>Messages given up on so far (bad topic, permanent error, retries exhausted).</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    public void OnObjectChanged(ObjectChangeEvent change)
    {
        if (change.NotificationConfigs.Count == 0)
        {
            return;
        }

        _queue.Writer.TryWrite(new WorkItem(change, null));
    }

    /// <summary>Waits until everything queued so far has been published (or dropped).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new WorkItem(null, done)))
        {
            await _pump.WaitAsync(cancellationToken);
            return;
        }

        await done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_queue.Writer.TryComplete())
        {
            try
            {
                await _pump.WaitAsync(ShutdownGrace);
            }
            catch (TimeoutException)
            {
                PublisherLog.StoppedWithPending(_logger, _queue.Reader.Count);
            }
            catch (OperationCanceledException)
            {
                // stopping
            }

            await _stopping.CancelAsync();
            try
            {
                await _pump;
            }
            catch (OperationCanceledException)
            {
                // stopping
            }

            _stopping.Dispose();
            _http.Dispose();
        }
    }

    private async Task PumpAsync()
    {
        var token = _stopping.Token;
        await foreach (var item in _queue.Reader.ReadAllAsync(token))
        {
            if (item.Flushed is { } flushed)
            {
                flushed.TrySetResult();
                continue;
            }

            var change = item.Change!;
            try
            {
                var messages = NotificationMessageBuilder.Build(change, config =>
                {
                    Interlocked.Increment(ref _dropped);
                    PublisherLog.BadTopic(_logger, change.Bucket, config.Id, config.Topic);
                });
                foreach (var message in messages)
                {
                    await PublishWithRetryAsync(change, message, token);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One bad event must not stop the queue (FlushAsync would hang behind it).
                Interlocked.Increment(ref _dropped);
                PublisherLog.Failed(_logger, ex, change.EventType, change.Bucket, change.ObjectName);
            }
        }
    }

    private async Task PublishWithRetryAsync(ObjectChangeEvent change, NotificationMessage message, CancellationToken token)
    {
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            var (ok, transient, reason) = await TryPublishAsync(message, token);
            if (ok)
            {
                Interlocked.Increment(ref _published);
                return;
            }

            if (!transient || attempt >= MaxAttempts)
            {
                Interlocked.Increment(ref _dropped);
                PublisherLog.Dropped(_logger, change.EventType, change.Bucket, change.ObjectName, message.Topic.Path,
                    attempt, reason);
                return;
            }

            PublisherLog.Retrying(_logger, change.EventType, change.Bucket, change.ObjectName, message.Topic.Path,
                attempt, reason);
            await Task.Delay(backoff, token);
            backoff *= 2;
        }
    }

    private async Task<(bool Ok, bool Transient, string Reason)> TryPublishAsync(NotificationMessage message,
        CancellationToken token)
    {
        var attributes = new JsonObject();
        foreach (var (key, value) in message.Attributes)
        {
            attributes[key] = value;
        }

        var body = new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject
            {
                ["data"] = Convert.ToBase64String(message.Data.Span),
                ["attributes"] = attributes,
            }),
        };
        try
        {
            using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(
                new Uri($"v1/{message.Topic.Path}:publish", UriKind.Relative), content, token);
            if (response.IsSuccessStatusCode)
            {
                return (true, false, "");
            }

            var status = (int)response.StatusCode;
            var transient = status >= 500 || response.StatusCode is HttpStatusCode.TooManyRequests
                or HttpStatusCode.RequestTimeout;
            return (false, transient, $"HTTP {status}");
        }
        catch (HttpRequestException ex)
        {
            return (false, true, ex.Message);
        }
        catch (TaskCanceledException ex) when (!token.IsCancellationRequested)
        {
            return (false, true, $"timeout: {ex.Message}");
        }
    }

    private sealed record WorkItem(ObjectChangeEvent? Change, TaskCompletionSource? Flushed);
}
