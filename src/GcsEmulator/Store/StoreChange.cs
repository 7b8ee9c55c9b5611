using EccoStudio.GcsEmulator.Model;
using EccoStudio.GcsEmulator.Notifications;

namespace EccoStudio.GcsEmulator.Store;

/// <summary>A committed change as the store reports it (turned into an <see cref="ObjectChangeEvent"/> off the request path).</summary>
public sealed record StoreChange(
    string EventType,
    ObjectMeta Meta,
    DateTimeOffset Time,
    long? OverwroteGeneration,
    long? OverwrittenByGeneration,
    IReadOnlyList<NotificationConfig> NotificationConfigs);

/// <summary>Receives committed changes, called under the bucket lock in commit order; must not block.</summary>
public interface IStoreChangeListener
{
    void OnCommitted(StoreChange change);
}
