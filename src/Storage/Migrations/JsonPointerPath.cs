using System.Text.Json.Nodes;

namespace EccoStudio.Storage.Migrations;

/// <summary>
/// An RFC 6901 JSON pointer to an object member (<c>/name</c>, <c>/budget/currency</c>): at least one segment, each a
/// member name (<c>~1</c> = <c>/</c>, <c>~0</c> = <c>~</c>). Array positions are not addressed: a migration works on
/// members, and an array element's shape changes with a new version of the array's item schema.
/// </summary>
public sealed class JsonPointerPath : IEquatable<JsonPointerPath>
{
    private readonly string[] _segments;

    private JsonPointerPath(string text, string[] segments)
    {
        Text = text;
        _segments = segments;
    }

    /// <summary>The pointer as written.</summary>
    public string Text { get; }

    /// <summary>The member names from the root.</summary>
    public IReadOnlyList<string> Segments => _segments;

    /// <summary>The last member name.</summary>
    public string Name => _segments[^1];

    /// <summary>True for a top-level member (<c>/name</c>).</summary>
    public bool IsTopLevel => _segments.Length == 1;

    public static bool TryParse(string? text, out JsonPointerPath path)
    {
        path = null!;
        if (string.IsNullOrEmpty(text) || text[0] != '/')
        {
            return false;
        }

        var segments = text[1..].Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            for (var c = segment.IndexOf('~', StringComparison.Ordinal); c >= 0; c = segment.IndexOf('~', c + 1))
            {
                if (c + 1 >= segment.Length || segment[c + 1] is not ('0' or '1'))
                {
                    return false;
                }
            }

            segments[i] = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (segments[i].Length == 0)
            {
                return false;
            }
        }

        path = new JsonPointerPath(text, segments);
        return true;
    }

    /// <summary>
    /// The object holding the member, or null when a step on the way is absent or not an object. With
    /// <paramref name="create"/>, absent steps are created as empty objects (a step holding another value still gives null).
    /// </summary>
    public JsonObject? Parent(JsonObject root, bool create)
    {
        var current = root;
        foreach (var segment in _segments[..^1])
        {
            if (current[segment] is JsonObject next)
            {
                current = next;
            }
            else if (create && !current.ContainsKey(segment))
            {
                next = [];
                current[segment] = next;
                current = next;
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>True when this pointer names <paramref name="other"/> or an object holding it.</summary>
    public bool IsPrefixOf(JsonPointerPath other) =>
        _segments.Length <= other._segments.Length && _segments.AsSpan().SequenceEqual(other._segments.AsSpan(0, _segments.Length));

    public bool Equals(JsonPointerPath? other) => other is not null && _segments.AsSpan().SequenceEqual(other._segments);

    public override bool Equals(object? obj) => Equals(obj as JsonPointerPath);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var segment in _segments)
        {
            hash.Add(segment, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public static bool operator ==(JsonPointerPath? left, JsonPointerPath? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(JsonPointerPath? left, JsonPointerPath? right) => !(left == right);

    public override string ToString() => Text;
}
