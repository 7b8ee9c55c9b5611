using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EccoStudio.Orchestrations.Reconcile;
using EccoStudio.Storage.Layout;

namespace EccoStudio.Api.Bridge;

/// <summary>
/// Instance ids of bridge-started reconciles: <c>reconcile:{env}:{entity}:{id}:{hash}</c> (the reconcile
/// orchestrator's own scheme, trigger = <c>gcs-</c> + 32 hex of SHA-256(object name, generation)). Every delivery of one object change (Pub/Sub duplicates, replays, the same
/// message published again) maps to the same id, and the deduplicated start runs it at most once.
/// </summary>
public static class ReconcileInstanceIds
{
    public const string Prefix = "reconcile:";

    public static string For(EntityTarget target, string objectName, long? generation)
    {
        var text = objectName + "#" + (generation?.ToString(CultureInfo.InvariantCulture) ?? "-");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
        return ReconcileEntityOrchestrator.InstanceIdFor(target.Env, target.Kind.Name, target.Id, "gcs-" + hash);
    }

    public static string Head(EntityTarget target) => ReconcileEntityOrchestrator.InstanceIdFor(target.Env, target.Kind.Name, target.Id, "");
}
