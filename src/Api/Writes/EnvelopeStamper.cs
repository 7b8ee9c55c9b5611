using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Layout;

namespace EccoStudio.Api.Writes;

/// <summary>
/// The envelope rules of the HTTP API (documented in docs/api.md):
/// <list type="bullet">
/// <item><c>id</c>, <c>entity</c>, <c>env</c> come from the route: filled in when absent, and a body that names
/// different values is refused (400), never silently rewritten.</item>
/// <item><c>created_at</c> is kept from the current snapshot when one exists (a full document's or patch's own value
/// is replaced); for a new entity the caller's value is kept, or it is set to <c>updated_at</c>.</item>
/// <item><c>updated_at</c> is stamped with the acceptance time unless the caller supplies one (imports carry the
/// original time; history ordering follows <c>updated_at</c>).</item>
/// <item><c>schema_version</c> is the caller's (required).</item>
/// <item>The envelope members lead the stored document in the spec's order (§3.2: id, entity, env, schema_version,
/// created_at, updated_at); every other member keeps the caller's order.</item>
/// </list>
/// </summary>
public static class EnvelopeStamper
{
    private static readonly string[] EnvelopeOrder =
    [
        EnvelopeReader.Id, EnvelopeReader.Entity, EnvelopeReader.Env, EnvelopeReader.SchemaVersionField,
        EnvelopeReader.CreatedAt, EnvelopeReader.UpdatedAt,
    ];

    public static void Stamp(EntityTarget target, JsonObject body, ChangeKind change, JsonObject? current, DateTimeOffset acceptedAt)
    {
        RouteField(body, EnvelopeReader.Id, target.Id);
        RouteField(body, EnvelopeReader.Entity, target.Kind.Name);
        RouteField(body, EnvelopeReader.Env, target.Env);

        if (!body.ContainsKey(EnvelopeReader.UpdatedAt))
        {
            body[EnvelopeReader.UpdatedAt] = Rfc3339.Format(acceptedAt);
        }

        var currentCreated = current is null ? null : EnvelopeReader.TryGetString(current, EnvelopeReader.CreatedAt);
        if (currentCreated is not null)
        {
            if (change == ChangeKind.Full || body.ContainsKey(EnvelopeReader.CreatedAt))
            {
                body[EnvelopeReader.CreatedAt] = currentCreated;
            }
        }
        else if (!body.ContainsKey(EnvelopeReader.CreatedAt))
        {
            body[EnvelopeReader.CreatedAt] = body[EnvelopeReader.UpdatedAt]?.DeepClone();
        }

        PutEnvelopeFirst(body);
    }

    private static void PutEnvelopeFirst(JsonObject body)
    {
        var members = body.ToList();
        body.Clear();
        foreach (var name in EnvelopeOrder)
        {
            foreach (var member in members.Where(m => m.Key == name))
            {
                body[member.Key] = member.Value;
            }
        }

        foreach (var member in members.Where(m => Array.IndexOf(EnvelopeOrder, m.Key) < 0))
        {
            body[member.Key] = member.Value;
        }
    }

    private static void RouteField(JsonObject body, string field, string routeValue)
    {
        if (!body.TryGetPropertyValue(field, out var node))
        {
            body[field] = routeValue;
            return;
        }

        var given = node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        if (given != routeValue)
        {
            throw new EnvelopeException(field, given ?? node?.ToJsonString(), $"does not match the route's {field} '{routeValue}'");
        }
    }
}
