using EccoStudio.Activities.Common;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Rules;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;
using System.Text.Json.Nodes;

namespace EccoStudio.Activities.Rules;

/// <summary>Input: the snapshot the rules look at.</summary>
public sealed record EvaluateRulesInput(EntityRef Entity, string Snapshot);

/// <summary>One alert to deliver: where (a configured webhook's name, never its URL), the exact webhook body, and the dedupe key.</summary>
public sealed record AlertMessage(string RuleId, string EntityId, string ActionType, string Webhook, string Payload, string DedupeKey);

/// <summary>
/// Step 5a: the rules targeting the entity kind (found through the <c>rules/by-target</c> index, else by listing the
/// rule snapshots) evaluated on the snapshot (<see cref="RuleEvaluator"/>). Reads only. The rule set is cached
/// briefly per (env, kind) (<see cref="RuleSetCache"/>); evaluating a rule entity's own write invalidates its env.
/// </summary>
public sealed class EvaluateRulesActivity(StorageContext storage, RuleSetCache cache) : TaskActivity<EvaluateRulesInput, IReadOnlyList<AlertMessage>>
{
    public override async Task<IReadOnlyList<AlertMessage>> RunAsync(TaskActivityContext context, EvaluateRulesInput input)
    {
        var target = input.Entity.ToTarget();
        if (target.Kind == EntityCatalog.Rule)
        {
            cache.Invalidate(target.Env);
        }

        var rules = await cache.GetOrLoadAsync(target.Env, target.Kind.Name, () => LoadRulesAsync(target));
        return RuleEvaluator.Evaluate(JsonText.ParseObject(input.Snapshot), rules)
            .Select(a => new AlertMessage(a.RuleId, a.EntityId, a.ActionType, a.Webhook, JsonText.ToText(a.Payload), a.DedupeKey))
            .ToList();
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
