using System.Text.Json.Nodes;
using EccoStudio.Storage.Envelope;

namespace EccoStudio.Storage.Indices;

/// <summary>A pointer object <c>{"ptr","id","updated_at",…display}</c> and the object name it lives at.</summary>
public sealed record IndexPointer(IndexDefinition Index, string Key, string ObjectName, JsonObject Body)
{
    public string Id => EnvelopeReader.TryGetString(Body, "id") ?? string.Empty;
}
