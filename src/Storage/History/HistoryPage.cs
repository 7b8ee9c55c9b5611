namespace EccoStudio.Storage.History;

/// <summary>History records newest first, with the token for the next (older) page.</summary>
public sealed record HistoryPage(IReadOnlyList<(string ObjectName, HistoryRecord Record)> Records, string? NextPageToken);
