using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.Api.Configuration;
using EccoStudio.Api.Instances;
using EccoStudio.Api.Problems;
using EccoStudio.Api.Routing;
using EccoStudio.Orchestrations.Batches;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Naming;
using EccoStudio.Storage.Writes;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EccoStudio.Api.Writes;

/// <summary>
/// <c>POST /api/{env}/{entity}:batch</c> (spec §10, batch writes for high-churn entities): up to
/// <see cref="EccoApiOptions.MaxBatchItems"/> changes of one entity kind as a JSON array (<c>application/json</c>) or one
/// per line (<c>application/x-ndjson</c>). Each item is <c>{"id", "document"}</c> (full) or <c>{"id", "patch"}</c>
/// (RFC 7396). Every item is stamped and validated exactly as a single PUT/PATCH would be, all before anything is
/// scheduled: one bad item refuses the whole batch with ONE problem listing every bad item by index. A valid batch
/// starts BatchWriteOrchestrator (one WriteEntityOrchestrator per item) and answers 202 with the check-status
/// payload; its output lists each item's outcome. <c>Idempotency-Key</c> maps a retried batch to the same instance.
/// </summary>
public sealed partial class BatchRequestHandler(
    StorageContext storage,
    IEntityWorkScheduler scheduler,
    IOptions<EccoApiOptions> options,
    TimeProvider time,
    ILogger<BatchRequestHandler> logger)
{
    public const string NdJson = "application/x-ndjson";
    public const string Route = "api/{env}/{entity}:batch";
    private const string InstancePrefix = "batch:";

    public async Task<IResult> HandleAsync(HttpRequest request, string? env, string? entity, DurableTaskClient client, IStatusLinks links,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var servedEnv = EntityRoutes.ResolveEnv(env, settings);
        var kind = EntityRoutes.ResolveKind(entity);
        var key = WriteRequestHandler.IdempotencyKey(request);
        var author = WriteRequestHandler.Author(request, settings);
        RequestBodies.RequireMediaType(request, [RequestBodies.Json, NdJson, "application/jsonl"]);
        var bytes = await RequestBodies.ReadAsync(request, settings.MaxBatchBytes, cancellationToken);
        var items = ParseItems(bytes, IsNdJson(request), settings.MaxBatchItems);

        var instanceId = InstanceId(servedEnv, kind.Prefix, key);
        if (key is not null && await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            LogReplayed(logger, instanceId);
            return WriteRequestHandler.Accepted(links.Create(instanceId));
        }

        // Validate every item (all of them, so the problem lists every bad one), a few at a time.
        var acceptedAt = time.GetUtcNow();
        var writes = new AcceptedWrite?[items.Count];
        var errors = new JsonObject?[items.Count];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                try
                {
                    writes[i] = await PrepareAsync(servedEnv, kind, items[i], author, acceptedAt, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException && ProblemMapper.Map(e) is { Status: < 500 } problem)
                {
                    errors[i] = ItemError(i, items[i], problem);
                }
            });

        for (var i = 0; i < items.Count; i++)
        {
            if (writes[i] is { } w && !seen.TryAdd(w.Target.Id, i))
            {
                errors[i] = ItemError(i, items[i], new Problem(400, "duplicate-id", "Duplicate id",
                    $"Item {i} names id '{EntityRoutes.Printable(w.Target.Id)}' like item {seen[w.Target.Id]}; one change per id per batch."));
            }
        }

        var bad = errors.Where(e => e is not null).ToList();
        if (bad.Count > 0)
        {
            LogRefused(logger, servedEnv, kind.Prefix, bad.Count, items.Count);
            return ProblemMapper.ToResult(new Problem(bad.Count == items.Count || bad.All(e => e!["status"]!.GetValue<int>() == 422) ? 422 : 400,
                "invalid-batch-items", "Invalid batch items",
                $"{bad.Count} of {items.Count} item(s) are invalid; nothing was scheduled. Fix the items listed under 'items' (by index) and resend the batch.")
            {
                Items = new JsonArray([.. bad]),
            });
        }

        // Each item's change is staged for its sub-orchestration: the batch input carries references, never documents.
        var input = await WriteStaging.StageAsync(storage, new BatchWriteInput(writes.Select(w => DurableWorkScheduler.ToInput(w!)).ToList()), instanceId,
            cancellationToken);
        var started = await scheduler.StartBatchAsync(client, instanceId, input.Items, cancellationToken);
        LogAccepted(logger, servedEnv, kind.Prefix, items.Count, instanceId, started);
        return WriteRequestHandler.Accepted(links.Create(instanceId));
    }

    /// <summary><c>batch:{env}:{prefix}:</c> + <c>k</c> and 32 hex of SHA-256(env, prefix, key), or a fresh GUID.</summary>
    public static string InstanceId(string env, string prefix, string? idempotencyKey)
    {
        var head = $"{InstancePrefix}{env}:{prefix}:";
        if (idempotencyKey is null)
        {
            return head + Guid.NewGuid().ToString("N");
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{env}\n{prefix}\n{idempotencyKey}"));
        return head + "k" + Convert.ToHexStringLower(hash)[..32];
    }

    private async Task<AcceptedWrite> PrepareAsync(string env, Storage.Catalog.EntityKind kind, JsonObject item, string author, DateTimeOffset acceptedAt,
        CancellationToken cancellationToken)
    {
        foreach (var (name, _) in item)
        {
            if (name is not ("id" or "document" or "patch"))
            {
                throw ApiProblemException.BadRequest("invalid-batch-item", $"Unknown member '{EntityRoutes.Printable(name)}'; an item is {{\"id\", \"document\"}} or {{\"id\", \"patch\"}}.");
            }
        }

        var id = item["id"] is JsonValue v && v.TryGetValue<string>(out var text) ? text
            : throw ApiProblemException.BadRequest("invalid-batch-item", "An item needs \"id\" (a string).");
        var target = new EntityTarget(env, kind, Identifiers.ValidateId(id));
        var (body, change) = (item["document"], item["patch"]) switch
        {
            (JsonObject d, null) => (d, ChangeKind.Full),
            (null, JsonObject p) => (p, ChangeKind.MergePatch),
            _ => throw ApiProblemException.BadRequest("invalid-batch-item", "An item carries exactly one of \"document\" (a JSON object) or \"patch\" (a JSON object)."),
        };
        body = (JsonObject)body.DeepClone();
        var current = await new EntityReader(storage).GetSnapshotAsync(target, cancellationToken);
        EnvelopeStamper.Stamp(target, body, change, current?.Document, acceptedAt);
        await new ChangeValidator(storage).PrepareAsync(target, body, Ulid.NewUlid(), change, cancellationToken);
        return new AcceptedWrite(target, change, body, author, null);
    }

    private static JsonObject ItemError(int index, JsonObject item, Problem problem)
    {
        var error = new JsonObject
        {
            ["index"] = index,
            ["id"] = item["id"] is JsonValue v && v.TryGetValue<string>(out var id) ? EntityRoutes.Printable(id) : null,
            ["status"] = problem.Status,
            ["type"] = Problem.TypePrefix + problem.Slug,
            ["detail"] = problem.Detail,
        };
        if (problem.Errors is { } pointers)
        {
            error["errors"] = pointers.DeepClone();
        }

        return error;
    }

    private static bool IsNdJson(HttpRequest request) =>
        request.ContentType is { } type && (type.StartsWith(NdJson, StringComparison.OrdinalIgnoreCase) || type.StartsWith("application/jsonl", StringComparison.OrdinalIgnoreCase));

    /// <summary>The items as JSON objects; the whole request is refused (400) when the body is not an array/lines of objects or holds too many.</summary>
    private static List<JsonObject> ParseItems(byte[] bytes, bool ndjson, int max)
    {
        var items = new List<JsonObject>();
        var notObjects = new List<int>();
        void Add(JsonNode? node)
        {
            if (items.Count + notObjects.Count >= max)
            {
                throw ApiProblemException.BadRequest("batch-too-large", $"A batch holds at most {max} items.");
            }

            if (node is JsonObject o)
            {
                items.Add(o);
            }
            else
            {
                notObjects.Add(items.Count + notObjects.Count);
                items.Add([]);
            }
        }

        if (ndjson)
        {
            var line = 0;
            foreach (var raw in Encoding.UTF8.GetString(bytes).Split('\n'))
            {
                line++;
                if (raw.Trim().Length == 0)
                {
                    continue;
                }

                try
                {
                    Add(JsonNode.Parse(raw, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }));
                }
                catch (JsonException e)
                {
                    throw ApiProblemException.BadRequest("malformed-json", $"Line {line} is not JSON: {e.Message.Split('\n')[0]}");
                }
            }
        }
        else
        {
            JsonNode? root;
            try
            {
                root = bytes.Length == 0 ? null : JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
            }
            catch (ArgumentException e)
            {
                throw new JsonException(e.Message, e);
            }

            if (root is not JsonArray array)
            {
                throw ApiProblemException.BadRequest("not-an-array", "A batch body is a JSON array of items (or application/x-ndjson, one item per line).");
            }

            foreach (var node in array)
            {
                Add(node);
            }
        }

        if (items.Count == 0)
        {
            throw ApiProblemException.BadRequest("empty-batch", "The batch holds no items.");
        }

        if (notObjects.Count > 0)
        {
            throw ApiProblemException.BadRequest("invalid-batch-item", $"Item(s) {string.Join(", ", notObjects.Take(50))} are not JSON objects.");
        }

        return items;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch of {Count} {Env}/{Prefix} change(s) accepted as {InstanceId} (new start: {Started})")]
    private static partial void LogAccepted(ILogger logger, string env, string prefix, int count, string instanceId, bool started);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch of {Env}/{Prefix} refused: {Bad} of {Count} item(s) invalid")]
    private static partial void LogRefused(ILogger logger, string env, string prefix, int bad, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Idempotent batch replay: {InstanceId} already exists")]
    private static partial void LogReplayed(ILogger logger, string instanceId);
}
