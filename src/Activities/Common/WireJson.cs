using System.Text.Json.Nodes;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;

namespace EccoStudio.Activities.Common;

/// <summary>Documents cross the engine as compact JSON text (exact bytes and number text survive the round trip).</summary>
public static class WireJson
{
    public static string? Text(JsonObject? document) => document is null ? null : JsonText.ToText(document);

    public static JsonObject? Parse(string? text) => text is null ? null : JsonText.ParseObject(text);

    public static string? Key(HistoryKey? key) => key?.ToString();

    public static HistoryKey? ParseKey(string? text) => HistoryKey.TryParse(text, out var key) ? key : null;

    public static HistoryKey RequireKey(string text) =>
        HistoryKey.TryParse(text, out var key) ? key : throw new ArgumentException($"Not a history key: '{text}'.", nameof(text));
}
