namespace EccoStudio.Storage.Store;

/// <summary>
/// Preconditions and metadata of a write. <see cref="IfGenerationMatch"/> = 0 means create-only.
/// A write with a precondition is idempotent and so is retried on transient errors; one without is not.
/// </summary>
public sealed record PutOptions
{
    public static PutOptions CreateOnly { get; } = new() { IfGenerationMatch = 0 };

    public long? IfGenerationMatch { get; init; }

    public long? IfMetagenerationMatch { get; init; }

    public string ContentType { get; init; } = "application/json";

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>An object retention set at creation (the bucket needs Object Retention Lock); null = none.</summary>
    public RetentionConfig? Retention { get; init; }

    public static PutOptions Replacing(long generation) => new() { IfGenerationMatch = generation };

    /// <summary>Create when <paramref name="generation"/> is null (object absent), else replace that generation.</summary>
    public static PutOptions Expecting(long? generation) => new() { IfGenerationMatch = generation ?? 0 };

    public bool IsPreconditioned => IfGenerationMatch is not null || IfMetagenerationMatch is not null;
}
