namespace EccoStudio.Storage.Store;

/// <summary>One page of a listing: objects, common prefixes (with a delimiter) and the next page token.</summary>
public sealed record ObjectPage(IReadOnlyList<StoredObjectInfo> Objects, IReadOnlyList<string> Prefixes, string? NextPageToken);
