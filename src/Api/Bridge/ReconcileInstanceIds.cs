using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EccoStudio.Storage.Layout;

namespace EccoStudio.Api.Bridge;

/// <summary>
/// Instance ids of bridge-started reconciles: <c>reconcile:{env}:{prefix}:{id}:{hash}</c>, hash = 32 hex of
/// SHA-256(object name, generation). Every delivery of one object change (Pub/Sub duplicates, replays, the same
/// message published again) maps to the same id, and the deduplicated start runs it at most once.
/// </summary>
public static class ReconcileInstanceIds
{
    public const string Prefix = "reconcile:";

    public static string For(EntityTarget target, string objectName, long? generation)
    {
        var text = objectName + "#" + (generation?.ToString(CultureInfo.InvariantCulture) ?? "-");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
        return $"{Head(target)}{hash}";
    }

    public static string Head(EntityTarget target) => $"{Prefix}{target.Env}:{target.Kind.Prefix}:{target.Id}:";
}
