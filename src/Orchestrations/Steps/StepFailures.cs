using EccoStudio.Activities.Alerts;
using EccoStudio.Storage;
using EccoStudio.Storage.Redaction;
using EccoStudio.Storage.Rules;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Orchestrations.Steps;

/// <summary>
/// Which activity failures are worth retrying. Not transient (fail at once): input errors (<see cref="StorageModelException"/>
/// and its kin: envelope, schema, id, unknown entity/version), <see cref="WriteConflictException"/> (a history object
/// with other content), a 412 that escaped a CAS loop (<see cref="PreconditionFailedException"/>), rule format errors and
/// argument/format/JSON errors. Everything else (GCS 408/429/5xx after the store's own retries, I/O, HTTP, timeouts,
/// a worker that died) is transient. <see cref="AlertDeliveryException"/> is transient by design.
/// </summary>
public static class StepFailures
{
    // By name only: TaskFailureDetails.IsCausedBy resolves the type by name across loaded assemblies and throws
    // AmbiguousMatchException for names defined twice (System.Net.Http.HttpRequestException is).
    private static readonly HashSet<string> NonTransientTypes = new(
    [
        .. typeof(StorageModelException).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(StorageModelException)) || t == typeof(StorageModelException))
            .Select(t => t.FullName!),
        typeof(WriteConflictException).FullName!,
        typeof(PreconditionFailedException).FullName!,
        typeof(RuleFormatException).FullName!,
        typeof(ArgumentException).FullName!,
        typeof(ArgumentNullException).FullName!,
        typeof(ArgumentOutOfRangeException).FullName!,
        typeof(FormatException).FullName!,
        typeof(System.Text.Json.JsonException).FullName!,
        typeof(KeyNotFoundException).FullName!,
    ], StringComparer.Ordinal);

    public static bool IsTransient(TaskFailureDetails failure)
    {
        for (var f = failure; f is not null; f = f.InnerFailure)
        {
            if (NonTransientTypes.Contains(f.ErrorType))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The same decision for an exception seen in-process (the write-protocol simulation runs activities without the engine).</summary>
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (NonTransientTypes.Contains(e.GetType().FullName!))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// One line for status and reasons: <c>Type: message</c> (innermost cause last), URLs cut to their host
    /// (<see cref="Redactor"/>): this text lands in the custom status, ops records and failure reasons.
    /// </summary>
    public static string Describe(TaskFailureDetails? failure)
    {
        if (failure is null)
        {
            return "unknown failure";
        }

        var text = $"{failure.ErrorType}: {Redactor.Text(failure.ErrorMessage)}";
        return failure.InnerFailure is null ? text : text + " <- " + Describe(failure.InnerFailure);
    }

    /// <summary>The failure of a failed activity/sub-orchestration call.</summary>
    public static string Describe(TaskFailedException e) => Describe(e.FailureDetails);
}
