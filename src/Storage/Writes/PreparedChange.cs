using System.Text.Json.Nodes;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Layout;

namespace EccoStudio.Storage.Writes;

/// <summary>A validated change ready to append: its target, history key, object name and exact body bytes.</summary>
public sealed record PreparedChange(EntityTarget Target, HistoryKey Key, ChangeKind Change, JsonObject Body, byte[] Bytes, string ObjectName)
{
    public HistoryRecord Record => HistoryRecord.FromBody(Body, Key.Ulid);

    public DateTimeOffset UpdatedAt => Key.UpdatedAt;

    public static string Marker(ChangeKind change) => change switch
    {
        ChangeKind.MergePatch => "merge-patch",
        ChangeKind.Compensation => "compensation",
        ChangeKind.Delete => "delete",
        _ => "full",
    };

    internal static EntityEnvelope? EnvelopeOf(JsonObject body, EntityTarget target) => EnvelopeReader.Read(body, target);
}
