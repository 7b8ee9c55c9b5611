using EccoStudio.Activities.Common;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Staging;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Activities.Alerts;

/// <summary>The staged bodies of alerts a rules step fired for a write that is being compensated.</summary>
public sealed record DiscardAlertsInput(string Env, IReadOnlyList<StagedDocument> Bodies);

/// <summary>
/// Undo of a rules step whose write is compensated (the rules step runs beside the manifest and index steps, so it
/// may have fired alerts for a change that is then undone): the alerts are never delivered, and their staged bodies
/// (which may quote the entity) are discarded at once instead of waiting for the <c>tmp/</c> lifecycle. Each body is
/// deleted at its generation, best effort; idempotent. Returns how many bodies were given.
/// </summary>
public sealed class DiscardAlertsActivity(StorageContext storage, ILogger<DiscardAlertsActivity>? logger = null) : TaskActivity<DiscardAlertsInput, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, DiscardAlertsInput input)
    {
        foreach (var body in input.Bodies)
        {
            await StagedCopies.DiscardAsync(storage, input.Env, body, logger);
        }

        return input.Bodies.Count;
    }
}
