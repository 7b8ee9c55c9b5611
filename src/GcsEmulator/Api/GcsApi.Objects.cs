using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Errors;
using EccoStudio.GcsEmulator.Model;
using EccoStudio.GcsEmulator.Store;

namespace EccoStudio.GcsEmulator.Api;

public sealed partial class GcsApi
{
    private async Task GetObjectAsync(HttpContext context, string bucket, string name)
    {
        if (GcsRequest.Query(context, "alt") == "media")
        {
            await DownloadAsync(context, bucket, name);
            return;
        }

        var meta = store.GetObject(bucket, name, GcsRequest.Number(context, "generation"), GcsRequest.Preconditions(context));
        await GcsResponses.JsonAsync(context, ResourceJson.ObjectResource(meta, GcsRequest.BaseAddress(context)));
    }

    private async Task UpdateObjectAsync(HttpContext context, string bucket, string name, bool replace)
    {
        var body = await GcsRequest.ReadJsonAsync(context);
        var meta = store.UpdateObject(bucket, name, GcsRequest.Number(context, "generation"), body, replace, GcsRequest.Preconditions(context),
            GcsRequest.Bool(context, "overrideUnlockedRetention"));
        await GcsResponses.JsonAsync(context, ResourceJson.ObjectResource(meta, GcsRequest.BaseAddress(context)));
    }

    private Task DeleteObjectAsync(HttpContext context, string bucket, string name)
    {
        store.DeleteObject(bucket, name, GcsRequest.Number(context, "generation"), GcsRequest.Preconditions(context));
        return GcsResponses.NoContent(context);
    }

    private async Task ListObjectsAsync(HttpContext context, string bucket)
    {
        var max = GcsRequest.Number(context, "maxResults") ?? 1000;
        if (max < 0)
        {
            throw GcsException.BadRequest("maxResults must be positive.");
        }

        var query = new ListQuery(
            GcsRequest.Query(context, "prefix"),
            GcsRequest.Query(context, "delimiter"),
            (int)Math.Min(max, 1000),
            GcsRequest.Query(context, "pageToken"),
            GcsRequest.Query(context, "startOffset"),
            GcsRequest.Query(context, "endOffset"),
            GcsRequest.Bool(context, "versions"),
            GcsRequest.Bool(context, "includeTrailingDelimiter"),
            GcsRequest.Query(context, "matchGlob"));
        var result = store.ListObjects(bucket, query);
        var baseAddress = GcsRequest.BaseAddress(context);
        var body = new JsonObject { ["kind"] = "storage#objects" };
        if (result.Items.Count > 0)
        {
            body["items"] = new JsonArray(result.Items.Select(m => (JsonNode?)ResourceJson.ObjectResource(m, baseAddress)).ToArray());
        }

        if (result.Prefixes.Count > 0)
        {
            body["prefixes"] = new JsonArray(result.Prefixes.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray());
        }

        if (result.NextPageToken is not null)
        {
            body["nextPageToken"] = result.NextPageToken;
        }

        await GcsResponses.JsonAsync(context, body);
    }

    private async Task CopyAsync(HttpContext context, string sourceBucket, string sourceName, string destinationBucket, string destinationName, bool rewrite)
    {
        var body = await GcsRequest.ReadJsonAsync(context);
        var meta = store.CopyObject(
            sourceBucket, sourceName, GcsRequest.Number(context, "sourceGeneration"), GcsRequest.Preconditions(context, "ifSource"),
            destinationBucket, destinationName, body, GcsRequest.Preconditions(context));
        var resource = ResourceJson.ObjectResource(meta, GcsRequest.BaseAddress(context));
        if (!rewrite)
        {
            await GcsResponses.JsonAsync(context, resource);
            return;
        }

        await GcsResponses.JsonAsync(context, new JsonObject
        {
            ["kind"] = "storage#rewriteResponse",
            ["totalBytesRewritten"] = Str(meta.Size),
            ["objectSize"] = Str(meta.Size),
            ["done"] = true,
            ["resource"] = resource,
        });
    }

    private async Task ComposeAsync(HttpContext context, string bucket, string destinationName)
    {
        var body = await GcsRequest.ReadJsonAsync(context);
        if (body["sourceObjects"] is not JsonArray array)
        {
            throw GcsException.BadRequest("sourceObjects is required.", "required");
        }

        var sources = new List<ComposeSource>();
        foreach (var item in array)
        {
            if (item is not JsonObject source)
            {
                throw GcsException.BadRequest("Invalid source object.");
            }

            var pre = source["objectPreconditions"] as JsonObject;
            sources.Add(new ComposeSource(
                ObjectFields.Str(source, "name") ?? string.Empty,
                ObjectFields.Number(source, "generation"),
                pre is null ? null : ObjectFields.Number(pre, "ifGenerationMatch")));
        }

        var meta = store.ComposeObject(bucket, destinationName, sources, body["destination"] as JsonObject, GcsRequest.Preconditions(context));
        await GcsResponses.JsonAsync(context, ResourceJson.ObjectResource(meta, GcsRequest.BaseAddress(context)));
    }
}
