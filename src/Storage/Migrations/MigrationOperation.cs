using System.Text.Json;
using System.Text.Json.Nodes;

namespace EccoStudio.Storage.Migrations;

/// <summary>
/// One declarative step of a migration file (<c>schemas/{entity}/v{to}.migration.json</c>, docs/schema-evolution.md).
/// Every operation has two readings: on a whole document (<see cref="ApplyToDocument"/>) and on an RFC 7396 merge
/// patch (<see cref="ApplyToPatch"/>: a patch names only what it changes, so defaults are not added to it). Paths are
/// JSON pointers to object members (no array indices): <c>/name</c>, <c>/budget/currency</c>. Both readings modify
/// the object they are given; callers pass a copy.
/// </summary>
public abstract record MigrationOperation
{
    /// <summary>The member names this operation takes away (a later migration must not reuse them).</summary>
    public virtual IEnumerable<JsonPointerPath> Consumes => [];

    /// <summary>The member names this operation creates.</summary>
    public virtual IEnumerable<JsonPointerPath> Produces => [];

    public abstract void ApplyToDocument(JsonObject document);

    public abstract void ApplyToPatch(JsonObject patch);

    /// <summary>Parses one element of <c>operations</c>; <paramref name="where"/> names it in errors.</summary>
    public static MigrationOperation Parse(JsonNode? node, string where)
    {
        if (node is not JsonObject op)
        {
            throw new SchemaMigrationException($"{where}: an operation must be a JSON object.");
        }

        var kind = Text(op, "op", where);
        var allowed = kind switch
        {
            "rename" => new[] { "op", "from", "to" },
            "default" => ["op", "path", "value"],
            "remove" => ["op", "path"],
            "map" => ["op", "path", "values"],
            _ => throw new SchemaMigrationException($"{where}: unknown op '{kind}' (rename, default, remove, map)."),
        };
        if (op.Select(m => m.Key).FirstOrDefault(k => !allowed.Contains(k, StringComparer.Ordinal)) is { } extra)
        {
            throw new SchemaMigrationException($"{where}: '{kind}' takes {string.Join(", ", allowed.Skip(1))}, not '{extra}'.");
        }

        return kind switch
        {
            "rename" => new RenameOperation(Path(op, "from", where), Path(op, "to", where)).Checked(where),
            "default" => new DefaultOperation(Path(op, "path", where), op["value"]?.DeepClone()
                ?? throw new SchemaMigrationException($"{where}: 'default' needs a non-null 'value'.")),
            "remove" => new RemoveOperation(Path(op, "path", where)),
            _ => new MapOperation(Path(op, "path", where), Values(op, where)),
        };
    }

    private static string Text(JsonObject op, string member, string where) =>
        op[member] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new SchemaMigrationException($"{where}: '{member}' must be a string.");

    private static JsonPointerPath Path(JsonObject op, string member, string where) =>
        JsonPointerPath.TryParse(Text(op, member, where), out var path)
            ? path
            : throw new SchemaMigrationException($"{where}: '{member}' must be a JSON pointer to an object member (\"/name\", \"/budget/currency\"), not the root and without ~ escapes other than ~0 and ~1.");

    private static Dictionary<string, string> Values(JsonObject op, string where)
    {
        if (op["values"] is not JsonObject values || values.Count == 0)
        {
            throw new SchemaMigrationException($"{where}: 'map' needs 'values', an object of old → new strings.");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (from, to) in values)
        {
            map[from] = to is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? v.GetValue<string>()
                : throw new SchemaMigrationException($"{where}: 'values.{from}' must be a string.");
        }

        return map;
    }
}

/// <summary>
/// <c>{"op":"rename","from":"/name","to":"/title"}</c>. Document: when <c>from</c> is present its value moves to
/// <c>to</c> (replacing what was there; missing parent objects of <c>to</c> are created). Patch: a member at
/// <c>from</c> (a value or a null that removes) is moved to <c>to</c>, so an old-style patch changes the new field.
/// </summary>
public sealed record RenameOperation(JsonPointerPath From, JsonPointerPath To) : MigrationOperation
{
    public override IEnumerable<JsonPointerPath> Consumes => [From];

    public override IEnumerable<JsonPointerPath> Produces => [To];

    internal RenameOperation Checked(string where) =>
        From == To || From.IsPrefixOf(To) || To.IsPrefixOf(From)
            ? throw new SchemaMigrationException($"{where}: 'rename' from {From} to {To} must name two unrelated members.")
            : this;

    public override void ApplyToDocument(JsonObject document) => Move(document);

    public override void ApplyToPatch(JsonObject patch) => Move(patch);

    private void Move(JsonObject target)
    {
        if (From.Parent(target, create: false) is not { } parent || !parent.TryGetPropertyValue(From.Name, out var value))
        {
            return;
        }

        parent.Remove(From.Name);
        if (To.Parent(target, create: true) is { } destination)
        {
            destination[To.Name] = value;
        }
    }
}

/// <summary>
/// <c>{"op":"default","path":"/reportingCurrency","value":"USD"}</c>. Document: sets the value when the member is
/// absent and its parent object exists (a default fills a member, it does not invent the object holding it). Patch:
/// nothing (a patch that does not name a member leaves it as it is).
/// </summary>
public sealed record DefaultOperation(JsonPointerPath Path, JsonNode Value) : MigrationOperation
{
    public override IEnumerable<JsonPointerPath> Produces => [Path];

    public override void ApplyToDocument(JsonObject document)
    {
        if (Path.Parent(document, create: false) is { } parent && !parent.ContainsKey(Path.Name))
        {
            parent[Path.Name] = Value.DeepClone();
        }
    }

    public override void ApplyToPatch(JsonObject patch)
    {
    }
}

/// <summary><c>{"op":"remove","path":"/legacyField"}</c>: the member is dropped from documents and from patches.</summary>
public sealed record RemoveOperation(JsonPointerPath Path) : MigrationOperation
{
    public override IEnumerable<JsonPointerPath> Consumes => [Path];

    public override void ApplyToDocument(JsonObject document) => Path.Parent(document, create: false)?.Remove(Path.Name);

    public override void ApplyToPatch(JsonObject patch) => Path.Parent(patch, create: false)?.Remove(Path.Name);
}

/// <summary>
/// <c>{"op":"map","path":"/status","values":{"Pilot":"Trial"}}</c>: a string member whose value is a key of
/// <c>values</c> gets the mapped value (enum renames), in documents and in patches; other values stay.
/// </summary>
public sealed record MapOperation(JsonPointerPath Path, IReadOnlyDictionary<string, string> Values) : MigrationOperation
{
    public override void ApplyToDocument(JsonObject document) => Map(document);

    public override void ApplyToPatch(JsonObject patch) => Map(patch);

    private void Map(JsonObject target)
    {
        if (Path.Parent(target, create: false) is { } parent
            && parent[Path.Name] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            && Values.TryGetValue(value.GetValue<string>(), out var mapped))
        {
            parent[Path.Name] = mapped;
        }
    }
}
