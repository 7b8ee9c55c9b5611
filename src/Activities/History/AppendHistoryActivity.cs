using System.Text;
using EccoStudio.Activities.Common;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.History;

/// <summary>Input: the prepared change (name, exact body, key) to append, and who wrote it (kept in object metadata).</summary>
public sealed record AppendHistoryInput(EntityRef Entity, PreparedChangeOutput Change, string? WrittenBy = null);

/// <summary>True when this call created the object; false when an identical one was already there (a retry).</summary>
public sealed record AppendHistoryOutput(string ObjectName, bool Created);

/// <summary>
/// Step 1: create-only append of the history object (<see cref="HistoryWriter"/>). The name is fixed by the
/// orchestrator, so a retry targets the same object: identical bytes already there = done; different bytes =
/// <see cref="WriteConflictException"/> (non-transient).
/// </summary>
public sealed class AppendHistoryActivity(StorageContext storage) : TaskActivity<AppendHistoryInput, AppendHistoryOutput>
{
    public override async Task<AppendHistoryOutput> RunAsync(TaskActivityContext context, AppendHistoryInput input)
    {
        var change = ToPrepared(input.Entity, input.Change);
        var created = await new HistoryWriter(storage).AppendAsync(change, input.WrittenBy);
        return new AppendHistoryOutput(change.ObjectName, created);
    }

    internal static PreparedChange ToPrepared(EntityRef entity, PreparedChangeOutput change)
    {
        var body = JsonText.ParseObject(change.Body);
        return new PreparedChange(entity.ToTarget(), WireJson.RequireKey(change.Key), change.Change, body, Encoding.UTF8.GetBytes(change.Body), change.ObjectName);
    }

    internal static HistoryRecord ToRecord(PreparedChangeOutput change) =>
        HistoryRecord.FromBody(JsonText.ParseObject(change.Body), WireJson.RequireKey(change.Key).Ulid);
}
