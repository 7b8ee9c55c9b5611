using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Staging;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Activities.Common;

/// <summary>
/// Discarding what a write or an alert staged under <c>tmp/</c> once nothing needs it any more (docs/reliability.md
/// "Claim check"). Housekeeping, never a reason to fail a step: what a failed discard leaves, the <c>tmp/</c>
/// lifecycle deletes within a day.
/// </summary>
public static partial class StagedCopies
{
    public static async Task DiscardAsync(StorageContext storage, string env, StagedDocument? staged, ILogger? logger)
    {
        if (staged is null)
        {
            return;
        }

        try
        {
            await new StagedObjects(storage).DiscardAsync(env, staged);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (logger is not null)
            {
                LogNotDiscarded(logger, staged.ObjectName, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Staged object {ObjectName} not discarded ({Error}); the tmp/ lifecycle removes it")]
    private static partial void LogNotDiscarded(ILogger logger, string objectName, string error);
}
