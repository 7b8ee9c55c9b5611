using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EccoStudio.Activities.Common;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Rules;
using EccoStudio.Storage.Staging;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Activities.Rules;

/// <summary>
/// Input: the snapshot the rules look at, by generation (<see cref="SnapshotGeneration"/>); <see cref="Snapshot"/> is
/// the in-process view, never serialized.
/// </summary>
public sealed record EvaluateRulesInput(EntityRef Entity, [property: JsonIgnore] string? Snapshot)
{
    /// <summary>Generation of the snapshot the write left (0 = the live one).</summary>
    public long SnapshotGeneration { get; init; }

    /// <summary>The orchestration instance evaluating (it names the staged alert bodies, so a retry stages the same objects).</summary>
    public string? Owner { get; init; }

    /// <summary>The committed write's staged change, discarded by this step (the write's last): its history object holds the change now.</summary>
    public StagedDocument? DiscardStaged { get; init; }
}

/// <summary>
/// One alert to deliver: where (a configured webhook's name, never its URL), the dedupe key, and the exact webhook body
/// by reference (<see cref="StagedPayload"/>, under <c>tmp/alerts/</c>: a rendered template may quote the entity).
/// <see cref="Payload"/> is the in-process view, never serialized.
/// </summary>
public sealed record AlertMessage(string RuleId, string EntityId, string ActionType, string Webhook, [property: JsonIgnore] string? Payload, string DedupeKey)
{
    /// <summary>The rendered body, staged until it is delivered.</summary>
    public StagedDocument? StagedPayload { get; init; }
}

/// <summary>
/// Step 5a: the rules targeting the entity kind (found through the <c>rules/by-target</c> index, else by listing the
/// rule snapshots) evaluated on the snapshot (<see cref="RuleEvaluator"/>). The rule set is cached briefly per
/// (env, kind) (<see cref="RuleSetCache"/>); evaluating a rule entity's own write invalidates its env. The snapshot is
/// read at the generation the write left, only when some rule targets the kind; when that generation is gone (replaced
/// on an unversioned bucket) the live snapshot is evaluated, whose alerts carry its own dedupe key. Each alert's body
/// is staged create-only under <c>tmp/alerts/</c>, named after this instance and the dedupe key (a retry stages the
/// same object), so the engine carries a reference, not the rendered text. As the last step of a committed write it
/// also discards the write's staged change (<see cref="EvaluateRulesInput.DiscardStaged"/>, best effort).
/// </summary>
public sealed class EvaluateRulesActivity(StorageContext storage, RuleSetCache cache, ILogger<EvaluateRulesActivity>? logger = null)
    : TaskActivity<EvaluateRulesInput, IReadOnlyList<AlertMessage>>
{
    public override async Task<IReadOnlyList<AlertMessage>> RunAsync(TaskActivityContext context, EvaluateRulesInput input)
    {
        var target = input.Entity.ToTarget();
        await StagedCopies.DiscardAsync(storage, target.Env, input.DiscardStaged, logger);
        if (target.Kind == EntityCatalog.Rule)
        {
            cache.Invalidate(target.Env);
        }

        var rules = await cache.GetOrLoadAsync(target.Env, target.Kind.Name, () => LoadRulesAsync(target));
        if (!rules.Any(r => EnvelopeReader.TryGetString(r, "target_entity") == target.Kind.Name))
        {
            return [];
        }

        JsonObject? snapshot;
        if (input.Snapshot is not null)
        {
            snapshot = JsonText.ParseObject(input.Snapshot);
        }
        else
        {
            var reader = new EntityReader(storage);
            snapshot = ((input.SnapshotGeneration > 0 ? await reader.GetSnapshotAsync(target, input.SnapshotGeneration) : null)
                ?? await reader.GetSnapshotAsync(target))?.Document;
        }

        if (snapshot is null)
        {
            return [];
        }

        var staging = new StagedObjects(storage);
        var messages = new List<AlertMessage>();
        foreach (var alert in RuleEvaluator.Evaluate(snapshot, rules))
        {
            var payload = JsonText.ToText(alert.Payload);
            var name = ObjectPaths.StagedAlert(target.Env, StagedObjects.Key(input.Owner ?? context.InstanceId, alert.DedupeKey));
            var staged = await staging.StageAsync(target.Env, name, Encoding.UTF8.GetBytes(payload));
            messages.Add(new AlertMessage(alert.RuleId, alert.EntityId, alert.ActionType, alert.Webhook, payload, alert.DedupeKey) { StagedPayload = staged });
        }

        return messages;
    }

    private async Task<IReadOnlyList<JsonObject>> LoadRulesAsync(EntityTarget target)
    {
        var bucket = storage.Bucket(target.Env);
        IEnumerable<string> names;
        var byTarget = storage.Indices.For(EntityCatalog.Rule).FirstOrDefault(i => i.Name == "by-target");
        if (byTarget is not null)
        {
            var pointers = await new EntityReader(storage).QueryIndexAsync(target.Env, byTarget, target.Kind.Name);
            names = pointers.Select(p => p["ptr"]?.GetValue<string>()).OfType<string>();
        }
        else
        {
            names = (await storage.Store.ListAllAsync(bucket, ObjectPaths.SnapshotPrefix(target.Env, EntityCatalog.Rule))).Select(i => i.Name);
        }

        var rules = new List<JsonObject>();
        foreach (var name in names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var stored = await storage.Store.GetAsync(bucket, name);
            if (stored is not null)
            {
                rules.Add(JsonText.ParseObject(stored.Content.Span));
            }
        }

        return rules;
    }
}
