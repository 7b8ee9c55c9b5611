using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Schemas;

namespace EccoStudio.Storage.Tests;

/// <summary>Example files and the repo's schemas folder.</summary>
public static class TestData
{
    public static string SchemasFolder { get; } = FolderSchemaSource.FindRepoSchemas();

    public static string ExamplePath(string file) => Path.Combine(AppContext.BaseDirectory, "Examples", file);

    public static string ExampleText(string file) => File.ReadAllText(ExamplePath(file));

    public static JsonObject Example(string file) => JsonText.ParseObject(ExampleText(file));

    /// <summary>The exact bytes expected to land for an example (whitespace-free, schema_version normalised).</summary>
    public static string Landed(string file) => File.ReadAllText(ExamplePath(Path.Combine("landed", file)));

    public static (string File, EntityKind Kind)[] SpecExamples { get; } =
    [
        ("idea.history.json", EntityCatalog.Idea),
        ("venture.snapshot.json", EntityCatalog.Venture),
        ("cap_table.snapshot.json", EntityCatalog.CapTable),
        ("round.snapshot.json", EntityCatalog.Round),
    ];
}
