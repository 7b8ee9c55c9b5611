using System.Text.Json.Nodes;
using EccoStudio.Api.Configuration;
using EccoStudio.Api.Routing;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Consistency;
using EccoStudio.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EccoStudio.Api.Console;

/// <summary>
/// The two routes the ops console needs beyond the entity and management APIs: the catalog (served environments,
/// entity kinds with their URL prefix and index names) and a drift check of one entity kind (the <c>verify</c>
/// consistency check, read-only; repair stays a CLI decision).
/// </summary>
public sealed class ConsoleRequestHandler(StorageContext storage, IOptions<EccoApiOptions> options)
{
    public const int MaxReportedDifferences = 50;

    public IResult Catalog()
    {
        var kinds = new JsonArray();
        foreach (var kind in EntityCatalog.All)
        {
            kinds.Add(new JsonObject
            {
                ["name"] = kind.Name,
                ["prefix"] = kind.Prefix,
                ["indices"] = new JsonArray([.. storage.Indices.For(kind).Select(i => (JsonNode)JsonValue.Create(i.Name))]),
            });
        }

        return ApiResults.Json(StatusCodes.Status200OK, new JsonObject
        {
            ["environments"] = new JsonArray([.. options.Value.Environments.Select(e => (JsonNode)JsonValue.Create(e))]),
            ["kinds"] = kinds,
        });
    }

    public async Task<IResult> VerifyAsync(string? env, string? entity, CancellationToken cancellationToken)
    {
        var served = EntityRoutes.ResolveEnv(env, options.Value);
        var kind = EntityRoutes.ResolveKind(entity);
        var checker = new ConsistencyChecker(storage, new ConsistencyCheckOptions { MaxReportedDifferences = MaxReportedDifferences });
        var report = await checker.CheckAsync(served, [kind], null, cancellationToken);

        var tags = WriteTelemetry.EntityTags(served, kind.Name);
        MaintenanceTelemetry.DriftFound.Add(report.DriftedEntityCount, tags);
        MaintenanceTelemetry.VerifyRuns.Add(1, new KeyValuePair<string, object?>(EccoTags.Env, served),
            new KeyValuePair<string, object?>(EccoTags.Outcome, report.IsConsistent ? "consistent" : "drift"));

        return ApiResults.Json(StatusCodes.Status200OK, new JsonObject
        {
            ["env"] = served,
            ["entity"] = kind.Name,
            ["consistent"] = report.IsConsistent,
            ["entitiesChecked"] = report.EntitiesChecked,
            ["driftedEntities"] = report.DriftedEntityCount,
            ["differences"] = new JsonArray([.. report.FirstDifferences.Select(d => (JsonNode)new JsonObject
            {
                ["kind"] = d.Kind.ToString(),
                ["id"] = d.Id,
                ["object"] = d.ObjectName,
                ["detail"] = d.Detail,
            })]),
            ["summary"] = report.Summary(),
        });
    }
}
