using System.Text.Json.Nodes;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;

namespace EccoStudio.Storage.History;

/// <summary>One history object: its ordering key, what it carries and its JSON body (as stored).</summary>
public sealed record HistoryRecord(HistoryKey Key, ChangeKind Change, JsonObject Body)
{
    public const string ChangeMember = "_change";
    public const string CompensatesMember = "_compensates";

    /// <summary>For compensation records: the ULID of the record they cancel.</summary>
    public Ulid? Compensates { get; init; }

    /// <summary>The body without the reserved members: the document (full) or the patch (merge-patch).</summary>
    public JsonObject Content()
    {
        var copy = JsonText.Clone(Body);
        copy.Remove(ChangeMember);
        copy.Remove(CompensatesMember);
        return copy;
    }

    /// <summary>Reads marker and key from a stored body; <paramref name="ulid"/> comes from the object name.</summary>
    public static HistoryRecord FromBody(JsonObject body, Ulid ulid)
    {
        if (!EnvelopeReader.TryGetUpdatedAt(body, out var updatedAt))
        {
            throw new EnvelopeException(EnvelopeReader.UpdatedAt, EnvelopeReader.TryGetString(body, EnvelopeReader.UpdatedAt), "history record lacks a valid updated_at");
        }

        var marker = EnvelopeReader.TryGetString(body, ChangeMember);
        var change = marker switch
        {
            null or "full" => ChangeKind.Full,
            "merge-patch" => ChangeKind.MergePatch,
            "delete" => ChangeKind.Delete,
            "compensation" => ChangeKind.Compensation,
            _ => throw new EnvelopeException(ChangeMember, marker, "unknown change marker (full, merge-patch, delete, compensation)"),
        };

        Ulid? compensates = null;
        if (change == ChangeKind.Compensation)
        {
            var text = EnvelopeReader.TryGetString(body, CompensatesMember);
            compensates = Ulid.TryParse(text, out var target)
                ? target
                : throw new EnvelopeException(CompensatesMember, text, "compensation record must name the ULID it compensates");
        }

        return new HistoryRecord(new HistoryKey(updatedAt, ulid), change, body) { Compensates = compensates };
    }

    /// <summary>A tombstone: the entity's envelope (from its last snapshot) at <paramref name="at"/>, marked <c>"_change":"delete"</c>.</summary>
    public static JsonObject TombstoneBody(EntityEnvelope envelope, DateTimeOffset at) =>
        new()
        {
            [EnvelopeReader.Id] = envelope.Id,
            [EnvelopeReader.Entity] = envelope.Entity.Name,
            [EnvelopeReader.Env] = envelope.Env,
            [EnvelopeReader.SchemaVersionField] = envelope.SchemaVersion.ToString(),
            [EnvelopeReader.CreatedAt] = Rfc3339.Format(envelope.CreatedAt),
            [EnvelopeReader.UpdatedAt] = Rfc3339.Format(at),
            [ChangeMember] = "delete",
        };

    /// <summary>Builds a compensation body for <paramref name="compensated"/> (envelope copied from <paramref name="envelope"/>).</summary>
    public static JsonObject CompensationBody(EntityEnvelope envelope, DateTimeOffset at, Ulid compensated, string? reason) =>
        new()
        {
            [EnvelopeReader.Id] = envelope.Id,
            [EnvelopeReader.Entity] = envelope.Entity.Name,
            [EnvelopeReader.Env] = envelope.Env,
            [EnvelopeReader.SchemaVersionField] = envelope.SchemaVersion.ToString(),
            [EnvelopeReader.CreatedAt] = Rfc3339.Format(envelope.CreatedAt),
            [EnvelopeReader.UpdatedAt] = Rfc3339.Format(at),
            [ChangeMember] = "compensation",
            [CompensatesMember] = compensated.ToString(),
            ["reason"] = reason,
        };
}
