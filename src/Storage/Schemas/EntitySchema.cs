using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;
using Json.Schema;

namespace EccoStudio.Storage.Schemas;

/// <summary>A compiled JSON Schema (draft 2020-12) for one entity version. Formats (e.g. <c>date</c>) are asserted.</summary>
public sealed class EntitySchema
{
    private static readonly EvaluationOptions Evaluation = new()
    {
        OutputFormat = OutputFormat.List,
        RequireFormatValidation = true,
    };

    private readonly JsonSchema _schema;

    private EntitySchema(EntityKind kind, SchemaVersion version, JsonSchema schema, string text)
    {
        Kind = kind;
        Version = version;
        _schema = schema;
        Text = text;
    }

    public EntityKind Kind { get; }

    public SchemaVersion Version { get; }

    /// <summary>The schema source as loaded.</summary>
    public string Text { get; }

    public static EntitySchema Compile(EntityKind kind, SchemaVersion version, string text)
    {
        var baseUri = new Uri($"https://schemas.ecco.studio/{kind.Name}/{version.FileName}");
        var build = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var schema = JsonSchema.FromText(text, build, baseUri);
        return new EntitySchema(kind, version, schema, text);
    }

    /// <summary>Every error, each with the instance location as a JSON pointer.</summary>
    public IReadOnlyList<SchemaError> Validate(JsonNode document)
    {
        using var parsed = JsonDocument.Parse(JsonText.ToBytes(document));
        var results = _schema.Evaluate(parsed.RootElement, Evaluation);
        if (results.IsValid)
        {
            return [];
        }

        var errors = new List<SchemaError>();
        Collect(results, errors);
        if (errors.Count == 0)
        {
            errors.Add(new SchemaError(string.Empty, "schema", "the document does not match the schema"));
        }

        return errors.Distinct().ToList();
    }

    public void EnsureValid(JsonObject document)
    {
        var errors = Validate(document);
        if (errors.Count > 0)
        {
            throw new SchemaViolationException(Kind.Name, EnvelopeReader.TryGetString(document, EnvelopeReader.Id), Version.ToString(), errors);
        }
    }

    private static void Collect(EvaluationResults node, List<SchemaError> errors)
    {
        if (node.Errors is not null)
        {
            foreach (var (keyword, message) in node.Errors)
            {
                errors.Add(new SchemaError(node.InstanceLocation.ToString(), keyword, message));
            }
        }

        if (node.Details is null)
        {
            return;
        }

        foreach (var child in node.Details)
        {
            Collect(child, errors);
        }
    }
}
