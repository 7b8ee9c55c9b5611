using EccoStudio.Storage.Catalog;

namespace EccoStudio.Storage.Consistency;

/// <summary>The outcome of a repair: the report before, the report after, rounds run and reconciles that ended well.</summary>
public sealed record RepairResult(ConsistencyReport Before, ConsistencyReport After, int Rounds, int Reconciled);

/// <summary>
/// Check → reconcile the drifted entities → check again, up to a few rounds (a reconcile that deletes a latest-mode
/// pointer can leave the next-latest entity without one; the next round fixes that). Drift no reconcile can fix
/// (objects of entities that have no history at all) remains in <see cref="RepairResult.After"/>.
/// </summary>
public static class ConsistencyRepair
{
    public static async Task<RepairResult> RunAsync(ConsistencyChecker checker, IEntityReconciler reconciler, string env, IReadOnlyList<EntityKind>? kinds,
        ConsistencyReport? before = null, int maxRounds = 3, IProgress<CheckProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        before ??= await checker.CheckAsync(env, kinds, progress, cancellationToken);
        var current = before;
        var rounds = 0;
        var reconciled = 0;
        while (!current.IsConsistent && rounds < maxRounds && current.DriftedEntities.Count > 0)
        {
            rounds++;
            reconciled += await reconciler.ReconcileAsync(current.DriftedEntities, cancellationToken);
            var next = await checker.CheckAsync(env, kinds, progress, cancellationToken);
            var stuck = next.DriftedEntities.ToHashSet().SetEquals(current.DriftedEntities) && next.TotalDifferences == current.TotalDifferences;
            current = next;
            if (stuck)
            {
                break; // reconciling the same entities again would change nothing
            }
        }

        return new RepairResult(before, current, rounds, reconciled);
    }
}
