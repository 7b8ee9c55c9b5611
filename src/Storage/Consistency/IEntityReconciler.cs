using EccoStudio.Storage.Layout;

namespace EccoStudio.Storage.Consistency;

/// <summary>
/// Rebuilds drifted entities from their history (the hosts run ReconcileEntityOrchestrator behind this; the storage
/// library knows no engine). Returns when every reconcile has ended.
/// </summary>
public interface IEntityReconciler
{
    /// <returns>How many reconciles ended successfully.</returns>
    Task<int> ReconcileAsync(IReadOnlyCollection<EntityTarget> targets, CancellationToken cancellationToken);
}
