using System.Text.Json.Serialization;
using EccoStudio.Activities.Common;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Staging;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Activities.History;

/// <summary>
/// Input: the failed change, the compensation record's ULID and time (fixed by the orchestrator), the reason, and where
/// to copy the envelope from, by reference: the failed change's resulting snapshot (<see cref="EnvelopeSnapshotGeneration"/>),
/// else its history object (<see cref="EnvelopeHistoryObject"/>, a full document or a tombstone), else the current
/// snapshot. <see cref="EnvelopeSource"/> is the in-process view, never serialized.
/// </summary>
public sealed record AppendCompensationInput(EntityRef Entity, string FailedKey, string CompensationUlid, DateTimeOffset At, string Reason,
    [property: JsonIgnore] string? EnvelopeSource)
{
    /// <summary>Generation of the snapshot the failed change produced (0 = none).</summary>
    public long EnvelopeSnapshotGeneration { get; init; }

    /// <summary>The failed change's history object, when it carries a whole envelope (a full document, a tombstone).</summary>
    public string? EnvelopeHistoryObject { get; init; }

    /// <summary>The failed write's staged change, discarded once the compensation record is written (best effort).</summary>
    public StagedDocument? DiscardStaged { get; init; }
}

/// <summary>The compensation record's object name.</summary>
public sealed record AppendCompensationOutput(string ObjectName, bool Created);

/// <summary>
/// Compensation, first step: appends <c>{"_change":"compensation","_compensates":ULID}</c> to history (history is
/// append-only: the failed record stays), so every later fold or rebuild skips the failed change. Create-only with a
/// name fixed by the orchestrator: idempotent. Then the failed write's staged change goes (its history object holds it).
/// </summary>
public sealed class AppendCompensationActivity(StorageContext storage, ILogger<AppendCompensationActivity>? logger = null)
    : TaskActivity<AppendCompensationInput, AppendCompensationOutput>
{
    public override async Task<AppendCompensationOutput> RunAsync(TaskActivityContext context, AppendCompensationInput input)
    {
        var target = input.Entity.ToTarget();
        var source = input.EnvelopeSource is not null ? JsonText.ParseObject(input.EnvelopeSource) : null;
        if (source is null && input.EnvelopeSnapshotGeneration > 0)
        {
            source = (await new EntityReader(storage).GetSnapshotAsync(target, input.EnvelopeSnapshotGeneration))?.Document;
        }

        if (source is null && input.EnvelopeHistoryObject is { } history
            && await storage.Store.GetAsync(storage.Bucket(target.Env), history) is { } record)
        {
            source = JsonText.ParseObject(record.Content.Span);
        }

        EntityEnvelope? envelope = null;
        if (source is not null)
        {
            try
            {
                envelope = EnvelopeReader.Read(source, target);
            }
            catch (EnvelopeException)
            {
                // A merge patch carries only part of the envelope: fall back to the current snapshot.
            }
        }

        envelope ??= (await new EntityReader(storage).GetSnapshotAsync(target)) is { } current
            ? EnvelopeReader.Read(current.Document, target)
            : throw new InvalidOperationException($"No envelope to compensate {input.FailedKey} of {target} with (no snapshot, patch body).");
        var failed = WireJson.RequireKey(input.FailedKey);
        var change = ChangeValidator.PrepareCompensation(target, envelope, input.At, Ulid.Parse(input.CompensationUlid), failed.Ulid, input.Reason);
        var created = await new HistoryWriter(storage).AppendAsync(change);
        await StagedCopies.DiscardAsync(storage, target.Env, input.DiscardStaged, logger);
        return new AppendCompensationOutput(change.ObjectName, created);
    }
}
