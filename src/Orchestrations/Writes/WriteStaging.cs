using System.Text.Json.Nodes;
using EccoStudio.Orchestrations.Batches;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Staging;
using EccoStudio.Storage.Writes;

namespace EccoStudio.Orchestrations.Writes;

/// <summary>
/// The claim check of a write (docs/reliability.md "Claim check", docs/security.md "Personal data and the engine"):
/// before a write orchestration starts, its change is staged create-only at
/// <c>env/{env}/tmp/writes/{SHA-256(instance id, SHA-256(bytes))}.json</c>, in the exact form history stores it
/// (<see cref="ChangeValidator.StoredForm"/>), and the orchestration input carries only that reference and the
/// change's updated_at. The name is bound to the instance and the bytes: a retried start stages the same object, and
/// two writes never share one. Whatever starts a write orchestration stages first (the API's request handlers, tools, tests).
/// </summary>
public static class WriteStaging
{
    /// <summary>Stages <paramref name="input"/>'s document for the write instance <paramref name="instanceId"/>; returns the input to start it with.</summary>
    public static async Task<WriteEntityInput> StageAsync(StorageContext storage, WriteEntityInput input, string instanceId, CancellationToken cancellationToken = default)
    {
        if (input.Staged is not null)
        {
            return input with { Document = null };
        }

        var document = JsonText.ParseObject(input.Document ?? throw new ArgumentException("A write to stage needs its document.", nameof(input)));
        var (staged, updatedAt) = await StageAsync(storage, input.Env, document, input.Change, instanceId, cancellationToken);
        return input with { Document = null, Staged = staged, UpdatedAt = updatedAt };
    }

    /// <summary>Stages one change for the write instance <paramref name="instanceId"/>: the reference and the change's updated_at.</summary>
    public static async Task<(StagedDocument Staged, string? UpdatedAt)> StageAsync(StorageContext storage, string env, JsonObject document, ChangeKind change,
        string instanceId, CancellationToken cancellationToken = default)
    {
        var bytes = ChangeValidator.StoredForm(document, change);
        var name = ObjectPaths.StagedWrite(env, StagedObjects.Key(instanceId, StagedObjects.Sha256(bytes)));
        var staged = await new StagedObjects(storage).StageAsync(env, name, bytes, cancellationToken);
        return (staged, EnvelopeReader.TryGetString(document, EnvelopeReader.UpdatedAt));
    }

    /// <summary>
    /// Whether a write may skip its validate step (<see cref="WriteEntityInput.Validated"/>): a full document whose
    /// validation (<paramref name="prepared"/>, by <see cref="ChangeValidator.PrepareAsync"/>) returned exactly the staged
    /// bytes, with the updated_at the orchestration will name its history object from.
    /// </summary>
    public static bool StagedAsValidated(PreparedChange prepared, StagedDocument staged, string? updatedAt) =>
        prepared.Change == ChangeKind.Full
        && StagedObjects.Sha256(prepared.Bytes) == staged.Sha256
        && Rfc3339.TryParseUtc(updatedAt, out var at) && at == prepared.Key.UpdatedAt;

    /// <summary>Stages every item of a batch for its sub-orchestration (<see cref="InstanceIds.BatchItem"/> of <paramref name="batchInstanceId"/>).</summary>
    public static async Task<BatchWriteInput> StageAsync(StorageContext storage, BatchWriteInput input, string batchInstanceId, CancellationToken cancellationToken = default)
    {
        var items = new WriteEntityInput[input.Items.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Length), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) => items[i] = await StageAsync(storage, input.Items[i], InstanceIds.BatchItem(batchInstanceId, i), ct));
        return input with { Items = items };
    }
}
