using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Layout;

namespace EccoStudio.Storage.Envelope;

/// <summary>Reads and checks the §3.2 envelope against the target it is written to.</summary>
public static class EnvelopeReader
{
    public const string Id = "id";
    public const string Entity = "entity";
    public const string Env = "env";
    public const string SchemaVersionField = "schema_version";
    public const string CreatedAt = "created_at";
    public const string UpdatedAt = "updated_at";

    /// <summary>Parses the envelope; every field must be present and match <paramref name="target"/>.</summary>
    public static EntityEnvelope Read(JsonObject document, EntityTarget target)
    {
        var entity = RequireString(document, Entity);
        if (!EntityCatalog.TryGet(entity, out var kind))
        {
            throw new UnknownEntityException(entity);
        }

        if (kind != target.Kind)
        {
            throw new EnvelopeException(Entity, entity, $"does not match the target entity '{target.Kind.Name}'");
        }

        var env = RequireString(document, Env);
        if (env != target.Env)
        {
            throw new EnvelopeException(Env, env, $"does not match the target env '{target.Env}'");
        }

        var id = RequireString(document, Id);
        if (id != target.Id)
        {
            throw new EnvelopeException(Id, id, $"does not match the target id '{target.Id}'");
        }

        var versionText = RequireString(document, SchemaVersionField);
        if (!SchemaVersion.TryParse(versionText, out var version))
        {
            throw new EnvelopeException(SchemaVersionField, versionText, "not MAJOR.MINOR.PATCH (optionally prefixed with 'v')");
        }

        var created = RequireTime(document, CreatedAt);
        var updated = RequireTime(document, UpdatedAt);
        if (updated < created)
        {
            throw new EnvelopeException(UpdatedAt, Rfc3339.Format(updated), "is earlier than created_at");
        }

        return new EntityEnvelope(id, kind, env, version, created, updated);
    }

    /// <summary>Rewrites <c>schema_version</c> to its normalised form (<c>1.0.0</c>) in place.</summary>
    public static void Normalise(JsonObject document, EntityEnvelope envelope)
    {
        if (document[SchemaVersionField]?.GetValue<string>() != envelope.SchemaVersion.ToString())
        {
            document[SchemaVersionField] = envelope.SchemaVersion.ToString();
        }
    }

    public static string? TryGetString(JsonObject document, string field) =>
        document[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static bool TryGetUpdatedAt(JsonObject document, out DateTimeOffset updatedAt) =>
        Rfc3339.TryParseUtc(TryGetString(document, UpdatedAt), out updatedAt);

    private static string RequireString(JsonObject document, string field) =>
        TryGetString(document, field) ?? throw new EnvelopeException(field, document[field]?.ToJsonString(), "required string is missing");

    private static DateTimeOffset RequireTime(JsonObject document, string field)
    {
        var text = RequireString(document, field);
        return Rfc3339.TryParseUtc(text, out var value)
            ? value
            : throw new EnvelopeException(field, text, "not an RFC 3339 UTC timestamp (…Z)");
    }
}
