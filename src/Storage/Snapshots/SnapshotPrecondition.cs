using System.Globalization;

namespace EccoStudio.Storage.Snapshots;

/// <summary>
/// A condition on the entity's snapshot that a conditional write (HTTP <c>If-Match</c> / <c>If-None-Match</c>, see
/// docs/api.md "Conditional requests") carries from acceptance to the snapshot swap. The ETag of an entity is its
/// snapshot object's generation, so every condition is about generations: <see cref="MatchGenerations"/> (one must
/// be current), <see cref="MustExist"/> (<c>If-Match: *</c>), <see cref="MustNotExist"/> (<c>If-None-Match: *</c>:
/// create only), <see cref="NoneMatchGenerations"/> (none may be current). Checked twice: when the request is accepted
/// (412, nothing scheduled) and again right before the snapshot is written (the write fails and is compensated).
/// </summary>
public sealed record SnapshotPrecondition(
    IReadOnlyList<long>? MatchGenerations = null,
    bool MustExist = false,
    bool MustNotExist = false,
    IReadOnlyList<long>? NoneMatchGenerations = null)
{
    /// <summary>Why <paramref name="current"/> does not satisfy the condition, or null when it does.</summary>
    public string? Violation(SnapshotState? current)
    {
        var generation = current?.Generation;
        var now = generation is { } g ? $"the current ETag is \"{g.ToString(CultureInfo.InvariantCulture)}\"" : "the entity does not exist";
        if (MustNotExist && generation is not null)
        {
            return $"If-None-Match: * requires that the entity does not exist, but {now}.";
        }

        if (MustExist && generation is null)
        {
            return "If-Match: * requires that the entity exists, but it does not.";
        }

        if (MatchGenerations is { Count: > 0 } match && (generation is null || !match.Contains(generation.Value)))
        {
            return $"If-Match {Quote(match)} does not match: {now}.";
        }

        if (NoneMatchGenerations is { Count: > 0 } none && generation is { } current2 && none.Contains(current2))
        {
            return $"If-None-Match {Quote(none)} matches the current ETag.";
        }

        return null;
    }

    private static string Quote(IReadOnlyList<long> generations) =>
        string.Join(", ", generations.Select(g => $"\"{g.ToString(CultureInfo.InvariantCulture)}\""));
}

/// <summary>
/// A conditional write found the snapshot changed since its request was accepted (a writer slipped in between): the
/// write is refused at the snapshot swap, before anything visible changes, and is compensated like any failed write.
/// </summary>
public sealed class SnapshotPreconditionFailedException : StorageModelException
{
    public SnapshotPreconditionFailedException()
    {
    }

    public SnapshotPreconditionFailedException(string message)
        : base(message)
    {
    }

    public SnapshotPreconditionFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
