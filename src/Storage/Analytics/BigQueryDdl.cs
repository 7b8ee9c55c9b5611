using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Migrations;

namespace EccoStudio.Storage.Analytics;

/// <summary>
/// BigQuery DDL for one entity kind (spec §11; docs/analytics.md): an external table over its snapshots
/// (<c>{env}_{entity}_snapshots</c>), one over its history (<c>{env}_{entity}_history</c>, with the reserved
/// <c>_change</c>/<c>_compensates</c> columns), a view unioning the published schema versions under the latest
/// version's columns (<c>{env}_{entity}</c>), and a view picking the latest full record per id from history
/// (<c>{env}_{entity}_history_latest</c>). Columns come from the JSON Schemas; a column in several versions takes the
/// latest version's type.
/// </summary>
public static class BigQueryDdl
{
    /// <param name="migrations">The kind's migration chain (docs/schema-evolution.md): in the union view, a row of an
    /// older version shows a renamed member under its new name and a defaulted one with its default (top-level members);
    /// without it (or for members it does not say), what an older version lacks is NULL.</param>
    public static string For(EntityKind kind, IReadOnlyList<(SchemaVersion Version, JsonObject Schema)> versions, string env, string project, string dataset, string bucket,
        MigrationChain? migrations = null)
    {
        var ordered = versions.OrderBy(v => v.Version).ToList();
        var latest = BigQuerySchemaMapper.EntityColumns(ordered[^1].Schema);
        var all = new List<BigQueryColumn>(latest);
        foreach (var (_, schema) in ordered.AsEnumerable().Reverse().Skip(1))
        {
            all.AddRange(BigQuerySchemaMapper.EntityColumns(schema).Where(c => all.All(a => a.Name != c.Name)));
        }

        var table = $"{env}_{kind.Name}";
        string Name(string suffix) => $"`{project}.{dataset}.{table}{suffix}`";
        var text = new StringBuilder();
        text.Append("-- ").Append(kind.Name).Append(": schema versions ").AppendJoin(", ", ordered.Select(v => v.Version.ToString())).Append('\n');
        External(text, Name("_snapshots"), all, $"gs://{bucket}/env/{env}/snapshots/{kind.Prefix}/*.json");
        External(text, Name("_history"), [.. all, new(HistoryRecord.ChangeMember, "STRING"), new(HistoryRecord.CompensatesMember, "STRING")],
            $"gs://{bucket}/env/{env}/{kind.Prefix}/*");

        text.Append("CREATE OR REPLACE VIEW ").Append(Name(string.Empty)).Append(" AS\n");
        for (var i = 0; i < ordered.Count; i++)
        {
            var present = BigQuerySchemaMapper.EntityColumns(ordered[i].Schema).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            var sources = Sources(migrations, ordered[i].Version);
            text.Append(i == 0 ? string.Empty : "UNION ALL\n").Append("SELECT ")
                .AppendJoin(", ", latest.Select(c => Select(c, present, sources)))
                .Append("\nFROM ").Append(Name("_snapshots")).Append(" WHERE `schema_version` = '").Append(ordered[i].Version.ToString()).Append("'\n");
        }

        text.Append(";\n\n");
        text.Append("CREATE OR REPLACE VIEW ").Append(Name("_history_latest")).Append(" AS\n")
            .Append("SELECT * EXCEPT (_rank) FROM (\n")
            .Append("  SELECT *, ROW_NUMBER() OVER (PARTITION BY `id` ORDER BY `updated_at` DESC, _FILE_NAME DESC) AS _rank\n")
            .Append("  FROM ").Append(Name("_history")).Append('\n')
            .Append("  WHERE `_change` IS NULL OR `_change` = 'full'\n")
            .Append(") WHERE _rank = 1;\n");
        return text.ToString();
    }

    /// <summary>One column of the union view for a row of an older version: itself, the member it was renamed from, its default, or NULL.</summary>
    private static string Select(BigQueryColumn column, HashSet<string> present, Dictionary<string, (string? From, JsonNode? Default)> sources)
    {
        var name = BigQuerySchemaMapper.Quote(column.Name);
        if (sources.TryGetValue(column.Name, out var source))
        {
            var renamed = source.From is { } from && present.Contains(from) ? BigQuerySchemaMapper.Quote(from) : null;
            var literal = source.Default is JsonValue value && column.Type == "STRING" && value.GetValueKind() == JsonValueKind.String
                ? $"'{value.GetValue<string>().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'"
                : source.Default is JsonValue number && column.Type is "INT64" or "FLOAT64" && number.GetValueKind() == JsonValueKind.Number ? number.ToJsonString()
                : source.Default is JsonValue flag && column.Type == "BOOL" && flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? flag.ToJsonString().ToUpperInvariant()
                : null;
            var own = present.Contains(column.Name) ? name : null;
            var parts = new[] { renamed ?? own, literal }.OfType<string>().ToList();
            if (parts.Count > 0)
            {
                return (parts.Count == 1 ? parts[0] : $"COALESCE({string.Join(", ", parts)})") + (parts.Count == 1 && parts[0] == name ? string.Empty : $" AS {name}");
            }
        }

        return present.Contains(column.Name) ? name : $"CAST(NULL AS {column.Type}) AS {name}";
    }

    /// <summary>
    /// For a row at <paramref name="version"/>: each top-level member of the latest version that the migrations after
    /// it rename (from which older member) or default (to which value).
    /// </summary>
    private static Dictionary<string, (string? From, JsonNode? Default)> Sources(MigrationChain? migrations, SchemaVersion version)
    {
        var sources = new Dictionary<string, (string? From, JsonNode? Default)>(StringComparer.Ordinal);
        if (migrations is null || !migrations.Knows(version))
        {
            return sources;
        }

        foreach (var step in migrations.Steps.SkipWhile(s => s.From != version))
        {
            foreach (var operation in step.Operations)
            {
                switch (operation)
                {
                    case RenameOperation { From.IsTopLevel: true, To.IsTopLevel: true } rename:
                        var origin = sources.TryGetValue(rename.From.Name, out var before) ? before : (rename.From.Name, null);
                        sources.Remove(rename.From.Name);
                        sources[rename.To.Name] = origin;
                        break;
                    case DefaultOperation { Path.IsTopLevel: true } defaulted:
                        var known = sources.TryGetValue(defaulted.Path.Name, out var had) ? had : (defaulted.Path.Name, null);
                        sources[defaulted.Path.Name] = (known.From, known.Default ?? defaulted.Value);
                        break;
                    case RemoveOperation { Path.IsTopLevel: true } removed:
                        sources[removed.Path.Name] = (null, null);
                        break;
                }
            }
        }

        return sources;
    }

    /// <summary>Every <c>v*.schema.json</c> of a kind in the repo's <c>schemas/</c> folder.</summary>
    public static IReadOnlyList<(SchemaVersion Version, JsonObject Schema)> FromFolder(string schemasFolder, EntityKind kind) =>
        [.. Directory.EnumerateFiles(Path.Combine(schemasFolder, kind.Name), "v*.schema.json")
            .Select(path => (SchemaVersion.Parse(Path.GetFileName(path)[1..^".schema.json".Length]), JsonText.ParseObject(File.ReadAllText(path))))
            .OrderBy(v => v.Item1)];

    private static void External(StringBuilder text, string name, IReadOnlyList<BigQueryColumn> columns, string uri)
    {
        text.Append("CREATE OR REPLACE EXTERNAL TABLE ").Append(name).Append(" (\n");
        text.AppendJoin(",\n", columns.Select(c => $"  {BigQuerySchemaMapper.Quote(c.Name)} {c.Type}")).Append('\n');
        text.Append(")\nOPTIONS (\n  format = 'NEWLINE_DELIMITED_JSON',\n  uris = ['").Append(uri).Append("'],\n  ignore_unknown_values = true\n);\n\n");
    }
}
