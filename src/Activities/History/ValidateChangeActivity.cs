using System.Text.Json.Serialization;
using EccoStudio.Activities.Common;
using EccoStudio.Storage;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Staging;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Activities.History;

/// <summary>
/// Input: the change and the history key the orchestrator fixed (updated_at + ULID). Through the engine the change
/// is <see cref="Staged"/>, a reference to its bytes under <c>tmp/writes/</c> (claim check, docs/security.md
/// "Personal data and the engine"); <see cref="Document"/> is for callers that run the activity in process and is
/// never serialized.
/// </summary>
public sealed record ValidateChangeInput(EntityRef Entity, [property: JsonIgnore] string? Document, ChangeKind Change, string Ulid)
{
    /// <summary>The staged change (in the form <see cref="ChangeValidator.StoredForm"/> gives it).</summary>
    public StagedDocument? Staged { get; init; }
}

/// <summary>
/// Where the change goes and its key (<c>{updated_at}|{ulid}</c>). Through the engine the bytes to store are
/// <see cref="Staged"/> (checked by validation to be exactly those) or, for a record that holds nothing but the
/// envelope (a tombstone), <see cref="EnvelopeRecord"/>; <see cref="Body"/> is the in-process view, never serialized.
/// </summary>
public sealed record PreparedChangeOutput(string ObjectName, [property: JsonIgnore] string? Body, string Key, ChangeKind Change)
{
    /// <summary>The staged bytes to append, byte for byte.</summary>
    public StagedDocument? Staged { get; init; }

    /// <summary>The exact text of an envelope-only record (ids and times, no entity content): a delete's tombstone.</summary>
    public string? EnvelopeRecord { get; init; }
}

/// <summary>
/// Step 0: id/env/entity, envelope, schema and index keys are checked before any write (<see cref="ChangeValidator"/>).
/// Reads the staged change (by generation, SHA-256 checked) and confirms it is already in the exact form to store.
/// Writes nothing, so it is idempotent; invalid input fails with a non-transient error, and the staged copy of a
/// refused change is discarded (nothing of a refused write stays behind).
/// </summary>
public sealed class ValidateChangeActivity(StorageContext storage, ILogger<ValidateChangeActivity>? logger = null)
    : TaskActivity<ValidateChangeInput, PreparedChangeOutput>
{
    public override async Task<PreparedChangeOutput> RunAsync(TaskActivityContext context, ValidateChangeInput input)
    {
        var target = input.Entity.ToTarget();
        if (input.Staged is not { } staged)
        {
            // In process only (the engine never carries Document).
            var document = input.Document is null
                ? throw new ArgumentException("The change carries neither a staged reference nor a document.", nameof(input))
                : JsonText.ParseObject(input.Document);
            var inline = await new ChangeValidator(storage).PrepareAsync(target, document, Ulid.Parse(input.Ulid), input.Change);
            return new PreparedChangeOutput(inline.ObjectName, JsonText.ToText(inline.Body), inline.Key.ToString(), inline.Change);
        }

        var bytes = await new StagedObjects(storage).ReadAsync(target.Env, staged)
            ?? throw new StagedDocumentException(staged.ObjectName, "is gone (expired, or its write already ended)");
        PreparedChange prepared;
        try
        {
            prepared = await new ChangeValidator(storage).PrepareAsync(target, JsonText.ParseObject(bytes), Ulid.Parse(input.Ulid), input.Change);
        }
        catch (Exception e) when (e is StorageModelException or System.Text.Json.JsonException)
        {
            await StagedCopies.DiscardAsync(storage, target.Env, staged, logger);
            throw;
        }

        if (!prepared.Bytes.AsSpan().SequenceEqual(bytes))
        {
            throw new StagedDocumentException(staged.ObjectName, "is not in the form the change is stored in");
        }

        return new PreparedChangeOutput(prepared.ObjectName, JsonText.ToText(prepared.Body), prepared.Key.ToString(), prepared.Change) { Staged = staged };
    }
}
