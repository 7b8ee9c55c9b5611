using EccoStudio.Activities.Common;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Erasure;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Erasure;

/// <summary>
/// Input: the entity, the run's ULID (fixed by the orchestrator: the record's name), why, who, when it was asked, and —
/// for the completed record — when it finished and what was removed (null = the "started" record).
/// </summary>
public sealed record WriteErasureRecordInput(EntityRef Entity, string Run, string Reason, string RequestedBy, DateTimeOffset RequestedAt,
    DateTimeOffset? CompletedAt = null, ErasureTally? Removed = null);

/// <summary>
/// Erase: the audit record <c>env/{env}/logs/erasures/{prefix}/{id}/{run}.json</c> (<see cref="ErasureRecords"/>): "started"
/// create-only before anything is removed, "completed" by compare-and-swap at the end. Both are idempotent (a retry
/// finds its own record). Returns the record's object name. No document content ever goes in it.
/// </summary>
public sealed class WriteErasureRecordActivity(StorageContext storage) : TaskActivity<WriteErasureRecordInput, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, WriteErasureRecordInput input)
    {
        var target = input.Entity.ToTarget();
        var run = Ulid.Parse(input.Run);
        var records = new ErasureRecords(storage);
        if (input.Removed is null)
        {
            await records.StartAsync(target, run, input.Reason, input.RequestedBy, input.RequestedAt);
        }
        else
        {
            await records.CompleteAsync(target, run, input.Reason, input.RequestedBy, input.RequestedAt, input.CompletedAt ?? input.RequestedAt, input.Removed.ToReport());
        }

        return ErasureRecords.Name(target, run);
    }
}
