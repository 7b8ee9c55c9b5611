namespace EccoStudio.GcsEmulator.Notifications;

/// <summary>
/// Publishes committed object changes to the Pub/Sub topics of the bucket's notification configs over the
/// Pub/Sub REST API. (Contract agreed between the emulator core and the notifications feature; the body is
/// filled by the notifications feature.)
/// </summary>
/// <param name="pubSubHost">host:port of the Pub/Sub endpoint (emulator), e.g. 127.0.0.1:8085.</param>
public sealed class PubSubNotificationPublisher(string pubSubHost) : IObjectEventSink, IAsyncDisposable
{
    public string PubSubHost { get; } = pubSubHost;

    public void OnObjectChanged(ObjectChangeEvent change) { }

    /// <summary>Waits until everything queued so far has been published (tests, shutdown).</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
