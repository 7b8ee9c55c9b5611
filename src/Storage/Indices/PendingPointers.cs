using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Snapshots;

namespace EccoStudio.Storage.Indices;

/// <summary>
/// The index pointers a snapshot's earlier states had and the snapshot has not: object names that may still hold a
/// pointer naming this entity under a key it no longer has. Kept in the snapshot object's metadata
/// (<see cref="MetadataKey"/>), so it is written in the same compare-and-swap that moves the snapshot: whoever moves
/// the snapshot from state A to B records exactly A's pointers (plus what was still pending) that B lacks, whether or
/// not its own index step ever runs. An index step deletes them (only pointers naming this entity, preconditioned) and
/// then clears the list with a metadata patch preconditioned on the generation and metageneration it read.
/// See docs/reliability.md, "Index pointers".
/// </summary>
public sealed record PendingPointers(IReadOnlyList<string> Names, bool Unknown)
{
    /// <summary>Snapshot metadata key: a JSON array of pointer object names, or <c>*</c> when the list outgrew the metadata.</summary>
    public const string MetadataKey = "ecco-index-pending";

    /// <summary>Longest list kept by name; beyond it the list becomes "unknown" and the index step lists the index folders.</summary>
    public const int MaxChars = 4096;

    public static PendingPointers None { get; } = new([], false);

    public bool IsEmpty => Names.Count == 0 && !Unknown;

    /// <summary>What a snapshot read carries (none when the key is absent or empty).</summary>
    public static PendingPointers Parse(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(MetadataKey, out var text) || string.IsNullOrEmpty(text))
        {
            return None;
        }

        if (text == "*")
        {
            return new([], true);
        }

        try
        {
            return JsonNode.Parse(text) is JsonArray array
                ? new(array.Select(n => n?.GetValue<string>()).OfType<string>().ToList(), false)
                : new([], true);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            // Unreadable (edited by hand): treat as unknown, which costs a listing, never a lost pointer.
            return new([], true);
        }
    }

    /// <summary>
    /// The list a write from <paramref name="current"/> to <paramref name="next"/> must store: what was pending plus
    /// the current state's pointers, minus the next state's.
    /// </summary>
    public static PendingPointers Next(IndexPlanner planner, EntityTarget target, SnapshotState? current, JsonObject? next)
    {
        if (current is null)
        {
            return None;
        }

        var keep = next is null ? [] : planner.AllPointers(target, next).Select(p => p.ObjectName).ToHashSet(StringComparer.Ordinal);
        var names = current.Pending.Names.Concat(planner.AllPointers(target, current.Document).Select(p => p.ObjectName))
            .Where(n => !keep.Contains(n)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new(names, current.Pending.Unknown);
    }

    /// <summary>The metadata value (empty string when nothing is pending: the key stays but says "none").</summary>
    public string Format()
    {
        if (Unknown)
        {
            return "*";
        }

        if (Names.Count == 0)
        {
            return string.Empty;
        }

        var text = new JsonArray(Names.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()).ToJsonString();
        return text.Length > MaxChars ? "*" : text;
    }
}
