using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;
using Microsoft.DurableTask;

namespace EccoStudio.Activities.Migrations;

/// <summary>
/// What a migration run did, for its record: the run (a ULID fixed by the orchestrator), who asked and when, the
/// state (<c>started</c>, <c>completed</c>, <c>failed</c>), pages done and counts by outcome, failed entity ids (at
/// most <see cref="MigrationRecordInput.MaxFailuresListed"/>).
/// </summary>
public sealed record MigrationRecordInput(string Env, string Entity, string To, string Run, string InstanceId, string RequestedBy, DateTimeOffset At,
    string State, int Pages, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<string> FailedIds, DateTimeOffset? EndedAt = null)
{
    public const int MaxFailuresListed = 50;
}

/// <summary>
/// Writes the migration record <c>env/{env}/logs/migrations/{prefix}/v{to}/{run}.json</c> (docs/schema-evolution.md):
/// created when the run starts, replaced by the final state when it ends. Idempotent (the name is the run's; the
/// same state written twice is the same bytes). Returns the object name.
/// </summary>
public sealed class RecordMigrationActivity(StorageContext storage) : TaskActivity<MigrationRecordInput, string>
{
    public static string ObjectName(string env, EntityKind kind, string to, string run) => ObjectPaths.Log(env, $"migrations/{kind.Prefix}/v{to}/{run}.json");

    public override async Task<string> RunAsync(TaskActivityContext context, MigrationRecordInput input)
    {
        var kind = EntityCatalog.Get(input.Entity);
        var name = ObjectName(input.Env, kind, input.To, input.Run);
        var counts = new JsonObject();
        foreach (var (outcome, count) in input.Counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            counts[outcome] = count;
        }

        var body = new JsonObject
        {
            ["kind"] = "migration",
            ["env"] = input.Env,
            ["entity"] = kind.Name,
            ["to"] = input.To,
            ["run"] = input.Run,
            ["instance_id"] = input.InstanceId,
            ["requested_by"] = input.RequestedBy,
            ["at"] = Rfc3339.Format(input.At),
            ["state"] = input.State,
            ["ended_at"] = input.EndedAt is { } ended ? Rfc3339.Format(ended) : null,
            ["pages"] = input.Pages,
            ["counts"] = counts,
            ["failed_ids"] = new JsonArray([.. input.FailedIds.Take(MigrationRecordInput.MaxFailuresListed).Select(id => (JsonNode?)JsonValue.Create(id))]),
        };
        var bucket = storage.Bucket(input.Env);
        var bytes = JsonText.ToBytes(body);
        if (input.State == "started")
        {
            try
            {
                await storage.Store.PutAsync(bucket, name, bytes, PutOptions.CreateOnly);
            }
            catch (PreconditionFailedException)
            {
                // Written by an earlier attempt (or the run already ended): keep what is there.
            }

            return name;
        }

        // The final state replaces what is there, CAS on the generation read (a preconditioned write is retried by the store).
        for (var attempt = 0; ; attempt++)
        {
            var current = await storage.Store.GetInfoAsync(bucket, name);
            try
            {
                await storage.Store.PutAsync(bucket, name, bytes, PutOptions.Expecting(current?.Generation));
                return name;
            }
            catch (PreconditionFailedException) when (attempt < 8)
            {
            }
        }
    }
}
