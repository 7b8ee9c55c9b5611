using System.Text;
using EccoStudio.Activities.Common;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Staging;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.History;

/// <summary>Input: the prepared change (name, key, and its bytes by reference) to append, and who wrote it (kept in object metadata).</summary>
public sealed record AppendHistoryInput(EntityRef Entity, PreparedChangeOutput Change, string? WrittenBy = null);

/// <summary>True when this call created the object; false when an identical one was already there (a retry).</summary>
public sealed record AppendHistoryOutput(string ObjectName, bool Created);

/// <summary>
/// Step 1: create-only append of the history object (<see cref="HistoryWriter"/>) with exactly the bytes validation
/// approved: the staged change read by generation (SHA-256 checked), or a tombstone's envelope-only text. The name is
/// fixed by the orchestrator, so a retry targets the same object: identical bytes already there = done; different
/// bytes = <see cref="WriteConflictException"/> (non-transient). From here on the history object is the write's
/// reference to its change (docs/reliability.md "Claim check").
/// </summary>
public sealed class AppendHistoryActivity(StorageContext storage) : TaskActivity<AppendHistoryInput, AppendHistoryOutput>
{
    public override async Task<AppendHistoryOutput> RunAsync(TaskActivityContext context, AppendHistoryInput input)
    {
        var target = input.Entity.ToTarget();
        var change = input.Change;
        var bytes = change.Body is { } body ? Encoding.UTF8.GetBytes(body)
            : change.EnvelopeRecord is { } record ? Encoding.UTF8.GetBytes(record)
            : change.Staged is { } staged ? await new StagedObjects(storage).ReadAsync(target.Env, staged)
            : throw new ArgumentException("The change carries no bytes and no reference to them.", nameof(input));
        if (bytes is null)
        {
            // The staged copy is gone: if this write's record is already there (an earlier attempt), the step is done.
            return await storage.Store.GetInfoAsync(storage.Bucket(target.Env), change.ObjectName) is not null
                ? new AppendHistoryOutput(change.ObjectName, false)
                : throw new StagedDocumentException(change.Staged!.ObjectName, "is gone (expired, or its write already ended)");
        }

        var prepared = new PreparedChange(target, WireJson.RequireKey(change.Key), change.Change, JsonText.ParseObject(bytes), bytes, change.ObjectName);
        var created = await new HistoryWriter(storage).AppendAsync(prepared, input.WrittenBy);
        return new AppendHistoryOutput(prepared.ObjectName, created);
    }
}
