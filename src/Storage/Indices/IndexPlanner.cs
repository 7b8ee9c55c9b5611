using System.Text.Json.Nodes;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;

namespace EccoStudio.Storage.Indices;

/// <summary>
/// Pure: given the snapshot before and after a change, the pointers to add and to remove. A pointer is (re)written
/// only when its key is new or its display fields changed; a key that disappears removes its pointer. So a change
/// that touches no indexed or displayed field costs no index operation.
/// </summary>
public sealed class IndexPlanner(IndexCatalog catalog)
{
    public IndexPlan Plan(EntityTarget target, JsonObject? before, JsonObject? after)
    {
        var add = new List<IndexPointer>();
        var remove = new List<IndexPointer>();
        foreach (var index in catalog.For(target.Kind))
        {
            var old = Pointers(target, index, before);
            var now = Pointers(target, index, after);
            foreach (var (name, pointer) in now)
            {
                if (!old.TryGetValue(name, out var previous) || !SameDisplay(previous, pointer))
                {
                    add.Add(pointer);
                }
            }

            remove.AddRange(old.Where(p => !now.ContainsKey(p.Key)).Select(p => p.Value));
        }

        return new IndexPlan(add, remove);
    }

    /// <summary>Every pointer the document should have (all keys of all indices of its kind).</summary>
    public IReadOnlyList<IndexPointer> AllPointers(EntityTarget target, JsonObject document) =>
        catalog.For(target.Kind).SelectMany(i => Pointers(target, i, document).Values).ToList();

    /// <summary>Computes every key, so an invalid key is found before anything is written.</summary>
    public void ValidateKeys(EntityTarget target, JsonObject document)
    {
        foreach (var index in catalog.For(target.Kind))
        {
            _ = index.Keys(document);
        }
    }

    private static Dictionary<string, IndexPointer> Pointers(EntityTarget target, IndexDefinition index, JsonObject? document)
    {
        var result = new Dictionary<string, IndexPointer>(StringComparer.Ordinal);
        if (document is null)
        {
            return result;
        }

        foreach (var key in index.Keys(document))
        {
            var name = index.Mode == IndexMode.Latest
                ? ObjectPaths.IndexSinglePointer(target.Env, target.Kind, index.Name, key)
                : ObjectPaths.IndexPointer(target.Env, target.Kind, index.Name, key, target.Id);
            var body = new JsonObject
            {
                ["ptr"] = ObjectPaths.Snapshot(target),
                ["id"] = target.Id,
                ["updated_at"] = document["updated_at"]?.DeepClone(),
            };
            foreach (var (field, value) in index.DisplayFields(document))
            {
                body[field] = value?.DeepClone();
            }

            result[name] = new IndexPointer(index, key, name, body);
        }

        return result;
    }

    private static bool SameDisplay(IndexPointer a, IndexPointer b) => SameExceptUpdatedAt(a.Body, b.Body);

    /// <summary>
    /// Same id, ptr and display fields: a pointer's updated_at is when it was last written (see <see cref="Plan"/>),
    /// so two bodies that differ only there say the same thing.
    /// </summary>
    public static bool SameExceptUpdatedAt(JsonObject a, JsonObject b)
    {
        var x = JsonText.Clone(a);
        var y = JsonText.Clone(b);
        x.Remove("updated_at");
        y.Remove("updated_at");
        return JsonNode.DeepEquals(x, y);
    }
}
