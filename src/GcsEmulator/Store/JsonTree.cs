using System.Text.Json.Nodes;

namespace EccoStudio.GcsEmulator.Store;

/// <summary>
/// Parsed (and deep-cloned) JsonObjects fill their dictionaries lazily on first access, which is not safe when
/// several requests read the same stored bucket fields at once. Walking the tree once fills every level.
/// </summary>
internal static class JsonTree
{
    public static JsonObject Materialize(JsonObject root)
    {
        Walk(root);
        return root;
    }

    private static void Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Walk(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Walk(child);
                }

                break;
        }
    }
}
