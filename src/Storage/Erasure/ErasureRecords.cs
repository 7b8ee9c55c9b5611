using System.Text.Json.Nodes;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Erasure;

/// <summary>
/// The audit trail of erasures: <c>env/{env}/logs/erasures/{prefix}/{id}/{ulid}.json</c> (under <c>logs/</c>, which
/// restores never touch). A record is written "started" before anything is removed and rewritten "completed" with
/// what was removed, so an interrupted erasure leaves evidence; the re-run writes its own record. It holds who, when,
/// why, the entity's kind and id, and object names with index keys redacted — no document content.
/// </summary>
public sealed class ErasureRecords(StorageContext context)
{
    public static string Name(EntityTarget target, Ulid run) => ObjectPaths.Log(target.Env, $"erasures/{target.Kind.Prefix}/{target.Id}/{run}.json");

    /// <summary>
    /// Writes the "started" record of run <paramref name="run"/> create-only. Idempotent: the name is the run's, so a
    /// retry that finds the record there (its first attempt's answer was lost, or the run completed) leaves it as it is.
    /// </summary>
    public async Task StartAsync(EntityTarget target, Ulid run, string reason, string requestedBy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        try
        {
            await context.Store.PutAsync(context.Bucket(target.Env), Name(target, run), JsonText.ToBytes(Body(target, reason, requestedBy, at, null, null)),
                PutOptions.CreateOnly, cancellationToken);
        }
        catch (PreconditionFailedException)
        {
            // Written already by this run.
        }
    }

    /// <summary>
    /// Rewrites the run's record as "completed" with what was removed, compare-and-swap on the generation read (the
    /// record is created when the started one is missing). Idempotent: writing it twice leaves the same content.
    /// </summary>
    public async Task CompleteAsync(EntityTarget target, Ulid run, string reason, string requestedBy, DateTimeOffset at,
        DateTimeOffset completedAt, ErasureReport report, CancellationToken cancellationToken = default)
    {
        var bucket = context.Bucket(target.Env);
        var name = Name(target, run);
        var body = JsonText.ToBytes(Body(target, reason, requestedBy, at, completedAt, report));
        for (var attempt = 1; ; attempt++)
        {
            var current = await context.Store.GetInfoAsync(bucket, name, cancellationToken);
            try
            {
                await context.Store.PutAsync(bucket, name, body, PutOptions.Expecting(current?.Generation), cancellationToken);
                return;
            }
            catch (PreconditionFailedException) when (attempt < 3)
            {
                // Another attempt of the same run wrote it between the read and the write: read again.
            }
        }
    }

    private static JsonObject Body(EntityTarget target, string reason, string requestedBy, DateTimeOffset at, DateTimeOffset? completedAt, ErasureReport? report)
    {
        var body = new JsonObject
        {
            ["type"] = "erasure",
            ["env"] = target.Env,
            ["entity"] = target.Kind.Name,
            ["id"] = target.Id,
            ["reason"] = reason,
            ["requested_by"] = requestedBy,
            ["requested_at"] = Rfc3339.Format(at),
            ["state"] = report is null ? "started" : "completed",
        };
        if (report is not null)
        {
            body["completed_at"] = Rfc3339.Format(completedAt!.Value);
            var counts = new JsonObject();
            foreach (var (category, count) in report.VersionsRemoved)
            {
                counts[category] = count;
            }

            body["versions_removed"] = counts;
            body["total_versions_removed"] = report.TotalVersions;
            body["objects"] = new JsonArray([.. report.Objects.Select(n => (JsonNode?)JsonValue.Create(n))]);
        }

        return body;
    }
}
