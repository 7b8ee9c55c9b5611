using System.Globalization;
using System.Text.Json.Nodes;
using EccoStudio.Api.Configuration;
using EccoStudio.Api.Problems;
using EccoStudio.Api.Routing;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Consistency;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Naming;
using EccoStudio.Storage.Writes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EccoStudio.Api.Reads;

/// <summary>
/// Reads: the snapshot (<c>ETag</c> = its generation), the entity as of a time (<c>?asOf=</c>, a fold of history),
/// history newest first (paged), the manifest listing (paged) and index queries (<c>?index=&amp;key=</c>).
/// </summary>
public sealed partial class ReadRequestHandler(StorageContext storage, IOptions<EccoApiOptions> options, ILogger<ReadRequestHandler> logger)
{
    public async Task<IResult> GetEntityAsync(HttpRequest request, string? env, string? entity, string? id, CancellationToken cancellationToken)
    {
        var target = EntityRoutes.Resolve(env, entity, id, options.Value);
        var reader = new EntityReader(storage);
        var asOfText = QueryParameters.One(request, "asOf");
        if (asOfText is not null)
        {
            if (!Rfc3339.TryParseUtc(asOfText, out var asOf))
            {
                throw ApiProblemException.BadRequest("invalid-asof", $"asOf '{EntityRoutes.Printable(asOfText)}' is not an RFC 3339 UTC time (e.g. 2025-11-06T10:18:22Z).");
            }

            var fold = await reader.FoldAsOfAsync(target, asOf, cancellationToken);
            return fold.Document is null
                ? throw ApiProblemException.NotFound("not-found", $"{target} did not exist at {Rfc3339.Format(asOf)}.")
                : ApiResults.Json(StatusCodes.Status200OK, fold.Document, ("X-Ecco-As-Of", Rfc3339.Format(asOf)));
        }

        var snapshot = await reader.GetSnapshotAsync(target, cancellationToken)
            ?? throw ApiProblemException.NotFound("not-found", $"{target} has no snapshot.");
        var etag = $"\"{snapshot.Generation.ToString(CultureInfo.InvariantCulture)}\"";
        if (request.Headers.IfNoneMatch.Any(v => v == etag))
        {
            return ApiResults.Status(StatusCodes.Status304NotModified, ("ETag", etag));
        }

        return ApiResults.Json(StatusCodes.Status200OK, snapshot.Document, ("ETag", etag));
    }

    public async Task<IResult> GetHistoryAsync(HttpRequest request, string? env, string? entity, string? id, CancellationToken cancellationToken)
    {
        var target = EntityRoutes.Resolve(env, entity, id, options.Value);
        var page = await new EntityReader(storage).ListHistoryAsync(target, PageSize(request), PageToken(request), cancellationToken);
        var items = new JsonArray();
        foreach (var (objectName, record) in page.Records)
        {
            items.Add(new JsonObject
            {
                ["object"] = objectName,
                ["updated_at"] = Rfc3339.Format(record.Key.UpdatedAt),
                ["ulid"] = record.Key.Ulid.ToString(),
                ["change"] = record.Change switch
                {
                    ChangeKind.MergePatch => "merge-patch",
                    ChangeKind.Compensation => "compensation",
                    ChangeKind.Delete => "delete",
                    _ => "full",
                },
                ["record"] = JsonText.Clone(record.Body),
            });
        }

        return ApiResults.Json(StatusCodes.Status200OK, new JsonObject { ["items"] = items, ["nextPageToken"] = page.NextPageToken });
    }

    public async Task<IResult> GetCollectionAsync(HttpRequest request, string? env, string? entity, CancellationToken cancellationToken)
    {
        var servedEnv = EntityRoutes.ResolveEnv(env, options.Value);
        var kind = EntityRoutes.ResolveKind(entity);
        var indexName = QueryParameters.One(request, "index");
        var key = QueryParameters.One(request, "key");
        if (indexName is null && key is null)
        {
            var (entries, next) = await new ManifestReader(storage).ListAsync(servedEnv, kind, PageSize(request), PageToken(request), cancellationToken);
            return ApiResults.Json(StatusCodes.Status200OK, new JsonObject
            {
                ["items"] = new JsonArray([.. entries.Select(e => (JsonNode)JsonText.Clone(e))]),
                ["nextPageToken"] = next,
            });
        }

        if (indexName is null || key is null)
        {
            throw ApiProblemException.BadRequest("incomplete-index-query", "An index query needs both ?index= and ?key=.");
        }

        var index = storage.Indices.For(kind).FirstOrDefault(d => d.Name == indexName)
            ?? throw ApiProblemException.NotFound("unknown-index",
                $"{kind.Prefix} has no index '{EntityRoutes.Printable(indexName)}' (defined: {string.Join(", ", storage.Indices.For(kind).Select(d => d.Name))}).");
        Identifiers.ValidateIndexKey(key);
        // Every item agrees with the snapshot it names (a pointer can lag its snapshot until the write's index step,
        // or a later one, settles it); a disagreeing pointer is left out or corrected, counted, and repaired.
        var query = await new EntityReader(storage).QueryIndexCheckedAsync(servedEnv, index, key, cancellationToken);
        foreach (var disagreement in query.Disagreements)
        {
            await RepairAsync(index, disagreement, cancellationToken);
        }

        return ApiResults.Json(StatusCodes.Status200OK, new JsonObject
        {
            ["index"] = index.Name,
            ["key"] = key,
            ["mode"] = index.Mode == IndexMode.Latest ? "single" : "multi",
            ["items"] = new JsonArray([.. query.Items.Select(p => (JsonNode)JsonText.Clone(p))]),
        });
    }

    /// <summary>Read repair: the entity's pointers follow its snapshot (CAS-only, safe next to writers). A failure is logged, never served.</summary>
    private async Task RepairAsync(IndexDefinition index, IndexDisagreement disagreement, CancellationToken cancellationToken)
    {
        var kind = disagreement.Kind == IndexDisagreementKind.WrongKey ? "pointer-wrong-key" : "pointer-stale";
        ConvergenceMetrics.Found(kind, "index-read");
        try
        {
            var writes = await new IndexWriter(storage).RepairPointerAsync(disagreement.Target, index, disagreement.PointerName, cancellationToken);
            ConvergenceMetrics.Repaired("index-read");
            LogRepaired(logger, kind, disagreement.PointerName, disagreement.Target.ToString(), writes);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRepairFailed(logger, kind, disagreement.PointerName, disagreement.Target.ToString(), e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Index read found {Kind} {Pointer} of {Target} (not served as stored); repaired with {Writes} write(s)")]
    private static partial void LogRepaired(ILogger logger, string kind, string pointer, string target, int writes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Index read found {Kind} {Pointer} of {Target} (not served as stored); repair failed: {Error}")]
    private static partial void LogRepairFailed(ILogger logger, string kind, string pointer, string target, string error);

    private int PageSize(HttpRequest request)
    {
        var text = QueryParameters.One(request, "pageSize");
        if (text is null)
        {
            return options.Value.DefaultPageSize;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size >= 1 && size <= options.Value.MaxPageSize
            ? size
            : throw ApiProblemException.BadRequest("invalid-page-size", $"pageSize must be an integer 1..{options.Value.MaxPageSize}.");
    }

    private static string? PageToken(HttpRequest request)
    {
        var token = QueryParameters.One(request, "pageToken");
        return token is null || (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var skip) && skip >= 0)
            ? token
            : throw ApiProblemException.BadRequest("invalid-page-token", "pageToken is not a token this API issued.");
    }
}
