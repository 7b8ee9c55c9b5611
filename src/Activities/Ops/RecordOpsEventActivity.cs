using System.Text.Json.Nodes;
using EccoStudio.Activities.Common;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Activities.Ops;

/// <summary>
/// An event ops must see: <see cref="Kind"/> (<c>rules-failed</c>, <c>alert-failed</c>, <c>compensation-failed</c>,
/// <c>write-compensated</c>), the instance, step, error, and the record ULID/time fixed by the orchestrator.
/// </summary>
public sealed record OpsEventInput(string Env, string Kind, string RecordUlid, DateTimeOffset At, string InstanceId, EntityRef? Entity, string Step,
    string Error, string? Detail = null);

/// <summary>
/// Writes <c>env/{env}/logs/ops/{kind}/{recordUlid}.json</c> create-only (the name is fixed by the orchestrator, so a
/// retry finds its own record) and logs a warning. Returns the object name.
/// </summary>
public sealed partial class RecordOpsEventActivity(StorageContext storage, ILogger<RecordOpsEventActivity> logger) : TaskActivity<OpsEventInput, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, OpsEventInput input)
    {
        var name = ObjectPaths.Log(input.Env, $"ops/{input.Kind}/{input.RecordUlid}.json");
        var body = new JsonObject
        {
            ["kind"] = input.Kind,
            ["at"] = Rfc3339.Format(input.At),
            ["instance_id"] = input.InstanceId,
            ["entity"] = input.Entity?.Entity,
            ["id"] = input.Entity?.Id,
            ["step"] = input.Step,
            ["error"] = input.Error,
            ["detail"] = input.Detail,
        };
        try
        {
            await storage.Store.PutAsync(storage.Bucket(input.Env), name, JsonText.ToBytes(body), PutOptions.CreateOnly);
        }
        catch (PreconditionFailedException)
        {
            // Written by an earlier attempt.
        }

        LogOpsEvent(logger, input.Kind, input.InstanceId, input.Step, input.Error, name);
        return name;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ops event {Kind} in {InstanceId} at step {Step}: {Error} (recorded at {ObjectName})")]
    private static partial void LogOpsEvent(ILogger logger, string kind, string instanceId, string step, string error, string objectName);
}
