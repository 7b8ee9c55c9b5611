using EccoStudio.Activities.Common;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.History;

/// <summary>Input: the entity, the tombstone's ULID and time (fixed by the orchestrator), and the If-Match generation if any.</summary>
public sealed record PrepareDeleteInput(EntityRef Entity, string Ulid, DateTimeOffset At, long? ExpectedGeneration);

/// <summary>
/// Delete, step 0: the tombstone to append (<see cref="ChangeValidator.PrepareDeleteAsync"/>): the entity must have a
/// snapshot, at the If-Match generation when one was given. Writes nothing; "not found" and "changed" are not transient.
/// The tombstone holds the envelope only (ids and times, no entity content), so it travels as text.
/// </summary>
public sealed class PrepareDeleteActivity(StorageContext storage) : TaskActivity<PrepareDeleteInput, PreparedChangeOutput>
{
    public override async Task<PreparedChangeOutput> RunAsync(TaskActivityContext context, PrepareDeleteInput input)
    {
        var prepared = await new ChangeValidator(storage).PrepareDeleteAsync(input.Entity.ToTarget(), Ulid.Parse(input.Ulid), input.At, input.ExpectedGeneration);
        var tombstone = JsonText.ToText(prepared.Body);
        return new PreparedChangeOutput(prepared.ObjectName, tombstone, prepared.Key.ToString(), prepared.Change) { EnvelopeRecord = tombstone };
    }
}
