using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Reliability.Tests.Support;

/// <summary>Every history object of a set of entities, split into change records and compensation records.</summary>
public sealed record HistoryAudit(IReadOnlyList<string> ChangeRecords, IReadOnlyList<string> CompensationRecords)
{
    public static async Task<HistoryAudit> ReadAsync(StorageContext context, string env, EntityKind kind, IEnumerable<string> ids)
    {
        var changes = new List<string>();
        var compensations = new List<string>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            var target = new EntityTarget(env, kind, id);
            foreach (var info in await context.Store.ListAllAsync(context.Bucket(env), ObjectPaths.HistoryPrefix(target)))
            {
                var stored = await context.Store.GetAsync(context.Bucket(env), info.Name);
                var body = JsonText.ParseObject(stored!.Content.Span);
                (body[HistoryRecord.ChangeMember]?.GetValue<string>() == "compensation" ? compensations : changes).Add(info.Name);
            }
        }

        return new HistoryAudit(changes, compensations);
    }
}
