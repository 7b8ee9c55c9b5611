using System.Text.Json.Nodes;
using EccoStudio.Provisioning.Config;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Layout;
using Rule = Google.Apis.Storage.v1.Data.Bucket.LifecycleData.RuleData;

namespace EccoStudio.Provisioning.Bucket;

/// <summary>
/// The §8 lifecycle rules for the served environments (docs/operations.md "Lifecycle"): keep N versions of snapshots and
/// manifests, delete noncurrent snapshot versions after D days, move history (under each entity folder) to NEARLINE
/// then COLDLINE, and clear <c>tmp/</c>. Rules are compared in a canonical text form so key order never matters.
/// </summary>
public static class LifecycleRules
{
    public static IReadOnlyList<Rule> Desired(DeploymentConfig config)
    {
        var l = config.Bucket.Lifecycle;
        var envs = config.Environments;
        List<string> Prefixes(Func<string, IEnumerable<string>> each) => envs.SelectMany(each).ToList();
        var history = Prefixes(env => EntityCatalog.All.Select(kind => $"{ObjectPaths.EnvRoot(env)}{kind.Prefix}/"));
        var rules = new List<Rule>
        {
            Delete(new Rule.ConditionData
            {
                IsLive = false,
                NumNewerVersions = l.KeepVersions,
                MatchesPrefix = Prefixes(env => [$"{ObjectPaths.EnvRoot(env)}snapshots/", $"{ObjectPaths.EnvRoot(env)}manifests/"]),
            }),
            Delete(new Rule.ConditionData
            {
                IsLive = false,
                DaysSinceNoncurrentTime = l.NoncurrentSnapshotDays,
                MatchesPrefix = Prefixes(env => [$"{ObjectPaths.EnvRoot(env)}snapshots/"]),
            }),
            new Rule
            {
                Action = new Rule.ActionData { Type = "SetStorageClass", StorageClass = "NEARLINE" },
                Condition = new Rule.ConditionData { Age = l.HistoryNearlineDays, MatchesStorageClass = ["STANDARD"], MatchesPrefix = history },
            },
        };
        if (l.HistoryColdlineDays > 0)
        {
            rules.Add(new Rule
            {
                Action = new Rule.ActionData { Type = "SetStorageClass", StorageClass = "COLDLINE" },
                Condition = new Rule.ConditionData { Age = l.HistoryColdlineDays, MatchesStorageClass = ["NEARLINE"], MatchesPrefix = history },
            });
        }

        rules.Add(Delete(new Rule.ConditionData { Age = l.TmpDays, MatchesPrefix = Prefixes(env => [$"{ObjectPaths.EnvRoot(env)}tmp/"]) }));
        return rules;
    }

    /// <summary>One line, keys sorted: <c>Delete if {"isLive":false,"matchesPrefix":[...],"numNewerVersions":10}</c>.</summary>
    public static string Describe(Rule rule, bool abbreviate = false)
    {
        var c = rule.Condition ?? new Rule.ConditionData();
        var condition = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        void Put(string key, JsonNode? value)
        {
            if (value is not null)
            {
                condition[key] = value;
            }
        }

        Put("age", c.Age);
        Put("createdBefore", c.CreatedBefore);
        Put("customTimeBefore", c.CustomTimeBefore);
        Put("daysSinceCustomTime", c.DaysSinceCustomTime);
        Put("daysSinceNoncurrentTime", c.DaysSinceNoncurrentTime);
        Put("isLive", c.IsLive);
        Put("matchesPrefix", abbreviate && c.MatchesPrefix is { Count: > 4 } many
            ? JsonValue.Create($"{many.Count} prefixes: {string.Join(", ", many.Order(StringComparer.Ordinal).Take(2))}, …")
            : Array(c.MatchesPrefix));
        Put("matchesStorageClass", Array(c.MatchesStorageClass));
        Put("matchesSuffix", Array(c.MatchesSuffix));
        Put("noncurrentTimeBefore", c.NoncurrentTimeBefore);
        Put("numNewerVersions", c.NumNewerVersions);
        var action = rule.Action?.Type + (rule.Action?.StorageClass is { } cls ? " " + cls : "");
        return $"{action} if {new JsonObject(condition.Select(kv => KeyValuePair.Create(kv.Key, kv.Value))).ToJsonString()}";
    }

    /// <summary>
    /// True when <paramref name="desired"/> deletes sooner than an existing Delete rule on the same prefixes would
    /// (fewer versions kept, fewer days, younger age): that shortens retention.
    /// </summary>
    public static bool Shortens(Rule desired, IEnumerable<Rule> existing)
    {
        if (desired.Action?.Type != "Delete")
        {
            return false;
        }

        var d = desired.Condition ?? new Rule.ConditionData();
        foreach (var a in existing.Where(r => r.Action?.Type == "Delete").Select(r => r.Condition ?? new Rule.ConditionData()))
        {
            var samePrefixes = (a.MatchesPrefix ?? []).Order(StringComparer.Ordinal).SequenceEqual((d.MatchesPrefix ?? []).Order(StringComparer.Ordinal));
            if (!samePrefixes || a.IsLive != d.IsLive)
            {
                continue;
            }

            if (Lower(d.NumNewerVersions, a.NumNewerVersions) || Lower(d.DaysSinceNoncurrentTime, a.DaysSinceNoncurrentTime) || Lower(d.Age, a.Age))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Lower(int? desired, int? actual) => desired is { } x && actual is { } y && x < y;

    private static Rule Delete(Rule.ConditionData condition) => new() { Action = new Rule.ActionData { Type = "Delete" }, Condition = condition };

    private static JsonArray? Array(IList<string>? values) =>
        values is null || values.Count == 0 ? null : new JsonArray(values.Order(StringComparer.Ordinal).Select(v => (JsonNode?)v).ToArray());
}
