using EccoStudio.Api.Configuration;
using EccoStudio.Api.Problems;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Naming;

namespace EccoStudio.Api.Routing;

/// <summary>
/// Route values → model: <c>{env}</c> must be served (else 404), <c>{entity}</c> is the spec's prefix
/// (<c>ventures</c>, <c>cap_tables</c>; else 404), <c>{id}</c> follows the id rules (else 400).
/// </summary>
public static class EntityRoutes
{
    /// <summary>The route patterns both hosts use (the Functions app drops the leading <c>api/</c>).</summary>
    public const string Entity = "api/{env}/{entity}/{id}";
    public const string History = "api/{env}/{entity}/{id}/history";
    public const string Collection = "api/{env}/{entity}";
    public const string Health = "api/health";
    public const string PubSubPush = "api/pubsub/gcs-events";

    public static string ResolveEnv(string? env, EccoApiOptions options)
    {
        if (env is null || !Identifiers.Environments.Contains(env, StringComparer.Ordinal) || !options.Serves(env))
        {
            throw ApiProblemException.NotFound("unknown-environment", $"Environment '{Printable(env)}' is not served here (served: {string.Join(", ", options.Environments)}).");
        }

        return env;
    }

    public static EntityKind ResolveKind(string? prefix) =>
        EntityCatalog.TryGetByPrefix(prefix, out var kind)
            ? kind
            : throw ApiProblemException.NotFound("unknown-entity", $"Entity '{Printable(prefix)}' is not a known entity folder (e.g. ventures, cap_tables).");

    public static EntityTarget Resolve(string? env, string? prefix, string? id, EccoApiOptions options)
    {
        var servedEnv = ResolveEnv(env, options);
        var kind = ResolveKind(prefix);
        return new EntityTarget(servedEnv, kind, Identifiers.ValidateId(id));
    }

    /// <summary>Text safe to echo in a problem detail (control characters escaped, length capped).</summary>
    public static string Printable(string? value)
    {
        if (value is null)
        {
            return "<none>";
        }

        var capped = value.Length > 64 ? value[..64] + "…" : value;
        return string.Concat(capped.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}
