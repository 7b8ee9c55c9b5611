using EccoStudio.Activities.Common;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.History;

/// <summary>Input: the change as received and the history key the orchestrator fixed (updated_at + ULID).</summary>
public sealed record ValidateChangeInput(EntityRef Entity, string Document, ChangeKind Change, string Ulid);

/// <summary>The exact body to store and where: <see cref="Key"/> is <c>{updated_at}|{ulid}</c>.</summary>
public sealed record PreparedChangeOutput(string ObjectName, string Body, string Key, ChangeKind Change);

/// <summary>
/// Step 0: id/env/entity, envelope, schema and index keys are checked before any write (<see cref="ChangeValidator"/>).
/// Writes nothing, so it is trivially idempotent; invalid input fails with a non-transient error.
/// </summary>
public sealed class ValidateChangeActivity(StorageContext storage) : TaskActivity<ValidateChangeInput, PreparedChangeOutput>
{
    public override async Task<PreparedChangeOutput> RunAsync(TaskActivityContext context, ValidateChangeInput input)
    {
        var prepared = await new ChangeValidator(storage).PrepareAsync(
            input.Entity.ToTarget(), JsonText.ParseObject(input.Document), Ulid.Parse(input.Ulid), input.Change);
        return new PreparedChangeOutput(prepared.ObjectName, JsonText.ToText(prepared.Body), prepared.Key.ToString(), prepared.Change);
    }
}
