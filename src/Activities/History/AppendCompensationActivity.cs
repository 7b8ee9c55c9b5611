using EccoStudio.Activities.Common;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.History;

/// <summary>
/// Input: the failed change, the compensation record's ULID and time (fixed by the orchestrator), the reason, and a
/// document to copy the envelope from (the failed change's resulting snapshot, or its body when that was a full document).
/// </summary>
public sealed record AppendCompensationInput(EntityRef Entity, string FailedKey, string CompensationUlid, DateTimeOffset At, string Reason, string? EnvelopeSource);

/// <summary>The compensation record's object name.</summary>
public sealed record AppendCompensationOutput(string ObjectName, bool Created);

/// <summary>
/// Compensation, first step: appends <c>{"_change":"compensation","_compensates":ULID}</c> to history (history is
/// append-only: the failed record stays), so every later fold or rebuild skips the failed change. Create-only with a
/// name fixed by the orchestrator: idempotent.
/// </summary>
public sealed class AppendCompensationActivity(StorageContext storage) : TaskActivity<AppendCompensationInput, AppendCompensationOutput>
{
    public override async Task<AppendCompensationOutput> RunAsync(TaskActivityContext context, AppendCompensationInput input)
    {
        var target = input.Entity.ToTarget();
        EntityEnvelope? envelope = null;
        if (input.EnvelopeSource is not null)
        {
            try
            {
                envelope = EnvelopeReader.Read(JsonText.ParseObject(input.EnvelopeSource), target);
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
        return new AppendCompensationOutput(change.ObjectName, created);
    }
}
