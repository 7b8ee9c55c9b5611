using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Naming;

namespace EccoStudio.Storage.Indices;

/// <summary>The declarative index definitions of <c>schemas/indices.json</c>, by entity.</summary>
public sealed class IndexCatalog(IReadOnlyList<IndexDefinition> definitions)
{
    public IReadOnlyList<IndexDefinition> All => definitions;

    public IReadOnlyList<IndexDefinition> For(EntityKind kind) => definitions.Where(d => d.Kind == kind).ToList();

    public IndexDefinition Get(EntityKind kind, string name) =>
        definitions.FirstOrDefault(d => d.Kind == kind && d.Name == name)
        ?? throw new KeyNotFoundException($"No index '{name}' for {kind.Name}.");

    public static IndexCatalog Load(string path) => Parse(File.ReadAllText(path));

    public static IndexCatalog Parse(string json)
    {
        var root = JsonText.ParseObject(json);
        var list = new List<IndexDefinition>();
        foreach (var item in root["indices"]!.AsArray().OfType<JsonObject>())
        {
            var kind = EntityCatalog.Get(item["entity"]!.GetValue<string>());
            var name = Identifiers.ValidateId(item["name"]!.GetValue<string>());
            var mode = item["mode"]?.GetValue<string>() == "single" ? IndexMode.Latest : IndexMode.Multi;
            var key = item["key"]!.AsObject();
            var pointers = key["pointers"] is JsonArray many
                ? many.Select(n => n!.GetValue<string>()).ToList()
                : [key["pointer"]!.GetValue<string>()];
            var derive = key["derive"]?.GetValue<string>();
            if (derive is not null and not "next-due")
            {
                throw new FormatException($"Unknown key derivation '{derive}' in index {kind.Name}/{name}.");
            }

            var display = item["display"] is JsonObject d
                ? d.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>())
                : new Dictionary<string, string>();
            var latest = item["latest"] is JsonArray l ? l.Select(n => n!.GetValue<string>()).ToList() : ["/updated_at"];
            list.Add(new IndexDefinition(kind, name, mode, pointers, key["each"]?.GetValue<bool>() ?? false, derive)
            {
                Display = display,
                Latest = latest,
            });
        }

        return new IndexCatalog(list);
    }
}
