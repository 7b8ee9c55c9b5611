namespace EccoStudio.GcsEmulator.Model;

/// <summary>The parameters of objects.list.</summary>
public sealed record ListQuery(
    string? Prefix = null,
    string? Delimiter = null,
    int MaxResults = 1000,
    string? PageToken = null,
    string? StartOffset = null,
    string? EndOffset = null,
    bool Versions = false,
    bool IncludeTrailingDelimiter = false,
    string? MatchGlob = null);

/// <summary>One page of objects.list.</summary>
public sealed record ListResult(IReadOnlyList<ObjectMeta> Items, IReadOnlyList<string> Prefixes, string? NextPageToken);
