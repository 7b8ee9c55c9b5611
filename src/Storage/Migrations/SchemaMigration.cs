using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;

namespace EccoStudio.Storage.Migrations;

/// <summary>
/// One migration file, <c>schemas/{entity}/v{To}.migration.json</c>: how a document of version <see cref="From"/>
/// becomes one of version <see cref="To"/> (docs/schema-evolution.md, "Migration files").
/// <code>
/// {"entity":"venture","from":"1.0.0","to":"1.1.0","description":"…",
///  "operations":[{"op":"rename","from":"/name","to":"/title"},{"op":"default","path":"/reportingCurrency","value":"USD"}]}
/// </code>
/// Operations run in order; then <c>schema_version</c> is set to <see cref="To"/>.
/// </summary>
public sealed record SchemaMigration(EntityKind Kind, SchemaVersion From, SchemaVersion To, string Description, IReadOnlyList<MigrationOperation> Operations)
{
    public const string FileSuffix = ".migration.json";

    private static readonly string[] Members = ["$comment", "entity", "from", "to", "description", "operations"];

    /// <summary>The file name of the migration into <paramref name="to"/>: <c>v1.1.0.migration.json</c>.</summary>
    public static string FileName(SchemaVersion to) => $"v{to}{FileSuffix}";

    /// <summary>Applies the operations to a document of version <see cref="From"/> (modified in place).</summary>
    public void ApplyToDocument(JsonObject document)
    {
        foreach (var operation in Operations)
        {
            operation.ApplyToDocument(document);
        }

        document[EnvelopeReader.SchemaVersionField] = To.ToString();
    }

    /// <summary>Applies the operations' patch reading to a merge patch (modified in place); a <c>schema_version</c> it names becomes <see cref="To"/>.</summary>
    public void ApplyToPatch(JsonObject patch)
    {
        foreach (var operation in Operations)
        {
            operation.ApplyToPatch(patch);
        }

        if (patch.ContainsKey(EnvelopeReader.SchemaVersionField))
        {
            patch[EnvelopeReader.SchemaVersionField] = To.ToString();
        }
    }

    /// <summary>Parses the text of <paramref name="file"/> (its name gives the target version) for <paramref name="kind"/>.</summary>
    public static SchemaMigration Parse(EntityKind kind, string file, string text)
    {
        var where = $"{kind.Name}/{Path.GetFileName(file)}";
        JsonObject root;
        try
        {
            root = JsonText.ParseObject(text);
        }
        catch (JsonException e)
        {
            throw new SchemaMigrationException($"{where}: not a JSON object: {e.Message}", e);
        }

        if (root.Select(m => m.Key).FirstOrDefault(k => !Members.Contains(k, StringComparer.Ordinal)) is { } extra)
        {
            throw new SchemaMigrationException($"{where}: unknown member '{extra}' (allowed: {string.Join(", ", Members)}).");
        }

        var name = Path.GetFileName(file);
        if (!name.StartsWith('v') || !name.EndsWith(FileSuffix, StringComparison.Ordinal)
            || !SchemaVersion.TryParse(name[..^FileSuffix.Length], out var fileVersion))
        {
            throw new SchemaMigrationException($"{where}: a migration file is named v{{to}}{FileSuffix} (v1.1.0{FileSuffix}).");
        }

        if (Text(root, "entity", where) != kind.Name)
        {
            throw new SchemaMigrationException($"{where}: 'entity' must be '{kind.Name}' (the folder it is in).");
        }

        var from = Version(root, "from", where);
        var to = Version(root, "to", where);
        if (to != fileVersion)
        {
            throw new SchemaMigrationException($"{where}: 'to' is {to} but the file name says {fileVersion}.");
        }

        if (from >= to)
        {
            throw new SchemaMigrationException($"{where}: 'from' ({from}) must be older than 'to' ({to}).");
        }

        if (root["operations"] is not JsonArray operations)
        {
            throw new SchemaMigrationException($"{where}: 'operations' must be an array (it may be empty when only the version changes).");
        }

        var parsed = operations.Select((op, i) => MigrationOperation.Parse(op, $"{where} operations[{i}]")).ToList();
        var description = root["description"] is null ? string.Empty : Text(root, "description", where);
        return new SchemaMigration(kind, from, to, description, parsed);
    }

    private static string Text(JsonObject root, string member, string where) =>
        root[member] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new SchemaMigrationException($"{where}: '{member}' must be a string.");

    private static SchemaVersion Version(JsonObject root, string member, string where) =>
        SchemaVersion.TryParse(Text(root, member, where), out var version)
            ? version
            : throw new SchemaMigrationException($"{where}: '{member}' is not MAJOR.MINOR.PATCH.");
}
